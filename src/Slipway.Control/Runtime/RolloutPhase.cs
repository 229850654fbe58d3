namespace Slipway.Control.Runtime;

/// <summary>
/// Where a rollout is. Written kebab-case in the API (<c>waiting-ready</c>) and the state store, whose rows a
/// restarted daemon reads back, so a member is never renamed. An ended rollout's phase is its outcome.
/// </summary>
internal enum RolloutPhase
{
    Starting,

    /// <summary>Taking the backup <c>hooks.backupFirst</c> names.</summary>
    Backup,

    BeforeHook,

    WaitingReady,

    Smoke,

    /// <summary>A rolling step: old instances draining as new ones become ready.</summary>
    Rolling,

    /// <summary>A canary step: the split set, its pause running, analysis every interval.</summary>
    Canary,

    /// <summary>A blue-green revision ready and waiting for <c>slipway promote</c>.</summary>
    WaitingPromotion,

    Paused,

    Promoting,

    /// <summary>Promoted; the blue-green old set kept running until its scale-down time, for an instant rollback.</summary>
    Warm,

    DrainingOld,

    RollingBack,

    /// <summary>The daemon stopped while the rollout ran; the next start settles it from the store.</summary>
    Detached,

    Promoted,

    RolledBack,

    Aborted,

    Failed,

    /// <summary>
    /// A canary past its last pause that no analysis has passed since that step began: held at its weight, analysed
    /// every interval, until a verdict passes, <c>slipway promote</c>, or the progress deadline.
    /// </summary>
    AwaitingVerdict,
}
