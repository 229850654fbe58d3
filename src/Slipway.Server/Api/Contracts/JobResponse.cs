using Slipway.Core.Manifest.Model;

namespace Slipway.Server.Api.Contracts;

/// <summary>One job of <c>GET /api/v1/jobs</c>: its settings, when it runs next, and its newest run.</summary>
/// <param name="Schedule">The cron schedule as written; null for a job run only by hand.</param>
/// <param name="TimeZone">The zone the schedule is read in (the machine's when the manifest writes none).</param>
/// <param name="Timeout">As the manifest writes durations, e.g. 1h.</param>
/// <param name="NextRun">The next occurrence of the schedule; null without one.</param>
/// <param name="Running">Runs going now.</param>
/// <param name="LastRun">The newest run, going or ended; null before the first.</param>
internal sealed record JobResponse(
    string Name,
    string? Schedule,
    string TimeZone,
    JobConcurrency Concurrency,
    string Timeout,
    string? Service,
    DateTimeOffset? NextRun,
    int Running,
    JobRunResponse? LastRun);
