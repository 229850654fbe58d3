using System.Collections.Immutable;

namespace Slipway.Core.Routing;

/// <summary>
/// One revision of a service and the share of traffic it takes. Weights are relative
/// (a revision with weight 0 takes no unpinned traffic but can still be reached by pin).
/// </summary>
internal sealed record RevisionModel(
    string Revision,
    int Weight,
    ImmutableArray<EndpointModel> Endpoints)
{
    /// <summary>Set for a static site: the edge answers from this directory and the revision has no endpoints.</summary>
    public StaticSiteModel? Static { get; init; }
}
