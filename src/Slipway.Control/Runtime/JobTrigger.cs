namespace Slipway.Control.Runtime;

/// <summary>What started a job run. A stored word: never renamed.</summary>
internal enum JobTrigger
{
    /// <summary>Its <c>schedule</c>.</summary>
    Schedule,

    /// <summary><c>slipway job run</c> (the API's <c>POST /api/v1/jobs/NAME/run</c>), by a named token.</summary>
    Manual,
}
