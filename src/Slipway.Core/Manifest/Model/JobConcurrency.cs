namespace Slipway.Core.Manifest.Model;

/// <summary>What a job's start does while an earlier run of it still runs (Kubernetes CronJob's policy).</summary>
internal enum JobConcurrency
{
    /// <summary>The new run is skipped (an event says so); a run by hand is refused.</summary>
    Forbid,

    /// <summary>Both run.</summary>
    Allow,

    /// <summary>The running one is stopped (its signal, then SIGKILL after the grace period), then the new one starts.</summary>
    Replace,
}
