namespace Slipway.Control.Runtime;

/// <summary>
/// What became of a revision, kept with it in the state store (kebab-case, so a member is never renamed) and shown
/// by <c>slipway history</c>. A revision without one predates outcomes.
/// </summary>
internal enum RevisionOutcome
{
    /// <summary>Its rollout is under way.</summary>
    Running,

    /// <summary>Made current by a daemon start, with no rollout.</summary>
    Started,

    Promoted,

    RolledBack,

    Aborted,

    Failed,
}
