using Slipway.Control.Events;
using Slipway.Control.Runtime;

namespace Slipway.Control.Rollouts;

/// <summary>How a rollout ended: the outcome kept with the revision, the journal event kind and why.</summary>
internal sealed record RolloutEnd(RevisionOutcome Outcome, string EventKind, string Message)
{
    /// <summary>The phase an ended rollout shows: its outcome.</summary>
    public RolloutPhase Phase => Outcome switch
    {
        RevisionOutcome.Promoted => RolloutPhase.Promoted,
        RevisionOutcome.RolledBack => RolloutPhase.RolledBack,
        RevisionOutcome.Aborted => RolloutPhase.Aborted,
        _ => RolloutPhase.Failed,
    };

    public static RolloutEnd Promoted(string message) => new(RevisionOutcome.Promoted, EventKinds.RolloutPromoted, message);

    public static RolloutEnd RolledBack(string message) => new(RevisionOutcome.RolledBack, EventKinds.RolloutRolledBack, message);

    public static RolloutEnd Aborted(string message) => new(RevisionOutcome.Aborted, EventKinds.RolloutAborted, message);

    public static RolloutEnd Failed(string message) => new(RevisionOutcome.Failed, EventKinds.RolloutFailed, message);
}
