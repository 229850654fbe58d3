using Slipway.Control.Runtime;
using Slipway.Control.State;

namespace Slipway.Server.Api.Contracts;

/// <summary>One run of a job: what started it, when it ran, how it ended and the end of what it printed.</summary>
/// <param name="Trigger">schedule or manual.</param>
/// <param name="By">Who started a manual run (the token's name); null for a scheduled one.</param>
/// <param name="Ended">Null while it runs.</param>
/// <param name="ExitCode">Null while it runs, when it could not start, or when a signal ended it.</param>
/// <param name="Outcome">running, succeeded, failed, timed-out, start-failed, cancelled or interrupted.</param>
/// <param name="LogTail">The last lines it printed, secret values replaced by [secret NAME]; empty while it runs.</param>
internal sealed record JobRunResponse(
    long Id,
    string Job,
    JobTrigger Trigger,
    string? By,
    DateTimeOffset Started,
    DateTimeOffset? Ended,
    int? ExitCode,
    JobOutcome Outcome,
    string? Message,
    string LogTail)
{
    public static JobRunResponse Of(JobRunRecord r) => new(r.Id, r.Job, r.Trigger, r.By, r.Started, r.Ended, r.ExitCode, r.Outcome, r.Message, r.LogTail);
}
