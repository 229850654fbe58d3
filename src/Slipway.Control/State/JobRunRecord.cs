using Slipway.Control.Runtime;

namespace Slipway.Control.State;

/// <summary>One run of a job as the state store keeps it: when, how it ended, and the end of what it printed.</summary>
/// <param name="By">Who started a manual run (the token's name); null for a scheduled one.</param>
/// <param name="LogTail">The last lines it printed, secrets redacted; empty while it runs.</param>
internal sealed record JobRunRecord(
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
    /// <summary>Where its whole output is (under the state directory).</summary>
    public string? LogPath { get; init; }

    /// <summary>The process and its start time (its identity), once started; a later daemon stops a leftover by them.</summary>
    public int? Pid { get; init; }

    public long? ProcessStartTime { get; init; }

    public bool Failed => Outcome is JobOutcome.Failed or JobOutcome.TimedOut or JobOutcome.StartFailed or JobOutcome.Interrupted;
}
