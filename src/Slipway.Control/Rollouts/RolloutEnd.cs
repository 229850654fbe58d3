namespace Slipway.Control.Rollouts;

/// <summary>How a rollout ended: the outcome kept with the revision, the journal event kind and why.</summary>
internal sealed record RolloutEnd(string Outcome, string EventKind, string Message)
{
    public static RolloutEnd Promoted(string message) => new("promoted", "rollout-promoted", message);

    public static RolloutEnd RolledBack(string message) => new("rolled-back", "rollout-rolled-back", message);

    public static RolloutEnd Aborted(string message) => new("aborted", "rollout-aborted", message);

    public static RolloutEnd Failed(string message) => new("failed", "rollout-failed", message);
}
