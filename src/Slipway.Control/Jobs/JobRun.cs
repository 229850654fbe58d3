using Slipway.Control.State;
using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Jobs;

/// <summary>One run going now: its record, the spec it started with, and how to stop it early.</summary>
internal sealed class JobRun(JobRunRecord record, JobSpec spec) : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private string? _cancelReason;

    public JobRunRecord Record { get; } = record;

    public JobSpec Spec { get; } = spec;

    public long Id => Record.Id;

    public string Job => Record.Job;

    /// <summary>Ends with the run's final record.</summary>
    public TaskCompletionSource<JobRunRecord> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CancellationToken Cancelled => _cancel.Token;

    /// <summary>Why it was stopped early (<see cref="Cancel"/>); null while nobody asked.</summary>
    public string? CancelReason => Volatile.Read(ref _cancelReason);

    /// <summary>Stops the run (its process group gets SIGTERM, then SIGKILL after the job's grace period); the first reason stays.</summary>
    public void Cancel(string reason)
    {
        Interlocked.CompareExchange(ref _cancelReason, reason, null);
        _cancel.Cancel();
    }

    public void Dispose() => _cancel.Dispose();
}
