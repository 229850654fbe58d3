namespace Slipway.Server.Preflight;

/// <summary>One go-live check. The CLI, the API, <c>deploy</c>'s refusal and the dashboard all run these and nothing else.</summary>
internal interface IPreflightCheck
{
    /// <summary>Short and stable: it names the check in the output and in JSON.</summary>
    string Name { get; }

    /// <summary>Whether <c>deploy</c> runs it (for the deployed service) and refuses on a fail.</summary>
    bool ConcernsDeploy { get; }

    Task<IReadOnlyList<PreflightFinding>> RunAsync(PreflightContext context, CancellationToken cancel);
}
