namespace Slipway.Control.Jobs;

/// <summary>What the <c>job_failed</c> alert function and <c>/metrics</c> know of one job.</summary>
/// <param name="LastFailed">Whether its newest finished run failed (failed, timed out, could not start, interrupted).</param>
/// <param name="LastSuccess">When its newest successful run ended; null when none has.</param>
/// <param name="Running">Runs going now.</param>
internal sealed record JobState(string Name, bool LastFailed, DateTimeOffset? LastSuccess, int Running);
