namespace Slipway.Control.Events;

/// <summary>
/// Every kind of event the journal records: short stable words that <c>slipway events</c>, the API, scripts and
/// stored rows all see, so one is never renamed, only added. Code names them here and nowhere as a literal.
/// </summary>
internal static class EventKinds
{
    // An instance's life, recorded under its id.
    public const string Waiting = "waiting";
    public const string Initialized = "initialized";
    public const string InitFailed = "init-failed";
    public const string Started = "started";
    public const string StartFailed = "start-failed";
    public const string SecretMissing = "secret-missing";
    public const string Adopted = "adopted";
    public const string Resumed = "resumed";
    public const string Gone = "gone";
    public const string StartedUp = "started-up";
    public const string Ready = "ready";
    public const string NotReady = "not-ready";
    public const string ProbeFailed = "probe-failed";
    public const string Recovered = "recovered";
    public const string Exited = "exited";
    public const string StartupFailed = "startup-failed";
    public const string LivenessFailed = "liveness-failed";
    public const string OutOfMemory = "oom";
    /// <summary>resources could not be enforced by a cgroup for this instance; the message says why and what is watched instead.</summary>
    public const string LimitsNotEnforced = "limits-not-enforced";
    public const string SupervisionFailed = "supervision-failed";
    public const string CrashLooping = "crash-looping";
    public const string NotRestarted = "not-restarted";
    public const string Restarting = "restarting";
    public const string Stopping = "stopping";
    public const string Drained = "drained";
    public const string Stopped = "stopped";
    public const string Killed = "killed";

    // A service as a whole: the manifest or a command changed it.
    public const string Added = "added";
    public const string Updated = "updated";
    public const string Removing = "removing";
    public const string Removed = "removed";
    public const string Scaled = "scaled";
    public const string Restarted = "restarted";

    // The autoscaler, under the service's name.
    public const string Autoscaled = "autoscaled";
    public const string AutoscaleBounds = "autoscale-bounds";
    public const string AutoscaleHeld = "autoscale-held";
    public const string AutoscaleResumed = "autoscale-resumed";

    // Rollouts.
    public const string RolloutStarted = "rollout-started";
    public const string RolloutStep = "rollout-step";
    public const string RolloutAnalysis = "rollout-analysis";
    public const string RolloutPromoted = "rollout-promoted";
    public const string RolloutRolledBack = "rollout-rolled-back";
    public const string RolloutAborted = "rollout-aborted";
    public const string RolloutFailed = "rollout-failed";

    // Deploy hooks that run outside a rollout's own steps (hooks.rollback).
    public const string HookPassed = "hook-passed";
    public const string HookFailed = "hook-failed";

    // Backups, under the backup's name.
    public const string BackupSucceeded = "backup-succeeded";
    public const string BackupFailed = "backup-failed";
    public const string BackupVerified = "backup-verified";
    public const string BackupVerifyFailed = "backup-verify-failed";

    // Jobs, under the job's name.
    public const string JobStarted = "job-started";
    public const string JobSucceeded = "job-succeeded";
    public const string JobFailed = "job-failed";
    public const string JobCancelled = "job-cancelled";
    public const string JobSkipped = "job-skipped";

    // Alerts and their delivery.
    public const string AlertFiring = "alert-firing";
    public const string AlertResolved = "alert-resolved";
    public const string NotificationFailed = "notification-failed";

    // The state directory's disk: full (changes refused with 507), and room again.
    public const string DiskFull = "disk-full";
    public const string DiskOk = "disk-ok";

    // The edge's certificates.
    /// <summary>A changed certificate or key file cannot serve; the certificate loaded before it still does.</summary>
    public const string CertificateRejected = "certificate-rejected";

    /// <summary>Something went wrong in Slipway itself (a bug, a change it could not roll out); the message says what.</summary>
    public const string Error = "error";
}
