using Slipway.Control.Runtime;
using Slipway.Control.State;

namespace Slipway.Server.Api.Contracts;

/// <summary>One revision in a service's history: version, who, why, how its rollout ended and how long it took.</summary>
/// <param name="Outcome">started, running, promoted, rolled-back, aborted or failed; null for rows from before outcomes were kept.</param>
internal sealed record RevisionResponse(
    string Revision,
    string Version,
    bool Current,
    DateTimeOffset Created,
    string? CreatedBy,
    string? Reason,
    RevisionOutcome? Outcome,
    DateTimeOffset? Finished,
    double? DurationSeconds)
{
    public static RevisionResponse Of(RevisionRecord r) => new(
        r.Revision, r.Version, r.Current, r.Created, r.CreatedBy, r.Reason, r.Outcome, r.Finished,
        r.Finished is { } f ? Math.Round((f - r.Created).TotalSeconds, 1) : null);
}
