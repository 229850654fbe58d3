namespace Slipway.Control.Events;

/// <summary>
/// Every kind of event the journal records: short stable words that <c>slipway events</c>, the API, scripts and
/// stored rows all see, so one is never renamed, only added. Code names them here and nowhere as a literal.
/// </summary>
internal static class EventKinds
{
    // An instance's life, recorded under its id.
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

    // Rollouts.
    public const string RolloutStarted = "rollout-started";
    public const string RolloutStep = "rollout-step";
    public const string RolloutAnalysis = "rollout-analysis";
    public const string RolloutPromoted = "rollout-promoted";
    public const string RolloutRolledBack = "rollout-rolled-back";
    public const string RolloutAborted = "rollout-aborted";
    public const string RolloutFailed = "rollout-failed";

    // Backups, under the backup's name.
    public const string BackupSucceeded = "backup-succeeded";
    public const string BackupFailed = "backup-failed";
    public const string BackupVerified = "backup-verified";
    public const string BackupVerifyFailed = "backup-verify-failed";

    // Alerts and their delivery.
    public const string AlertFiring = "alert-firing";
    public const string AlertResolved = "alert-resolved";
    public const string NotificationFailed = "notification-failed";

    // The state directory's disk: full (changes refused with 507), and room again.
    public const string DiskFull = "disk-full";
    public const string DiskOk = "disk-ok";

    /// <summary>Something went wrong in Slipway itself (a bug, a change it could not roll out); the message says what.</summary>
    public const string Error = "error";
}
