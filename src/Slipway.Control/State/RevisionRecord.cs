using Slipway.Control.Runtime;

namespace Slipway.Control.State;

/// <summary>
/// One revision of a service: an immutable, numbered snapshot of its spec and version, with who made it, when,
/// why, and how its rollout ended. Rows written before revisions were numbered carry the version as their name.
/// </summary>
internal sealed record RevisionRecord(string Service, string Revision, string Version, DateTimeOffset Created, bool Current)
{
    /// <summary>The service spec as JSON when the revision was created; null for rows from before snapshots.</summary>
    public string? Spec { get; init; }

    /// <summary>The token name that asked for it, or <c>daemon</c> for the revision a start chose.</summary>
    public string? CreatedBy { get; init; }

    public string? Reason { get; init; }

    /// <summary>How its rollout ended, or that a start made it current; null for rows from before outcomes.</summary>
    public RevisionOutcome? Outcome { get; init; }

    /// <summary>When its rollout ended.</summary>
    public DateTimeOffset? Finished { get; init; }
}
