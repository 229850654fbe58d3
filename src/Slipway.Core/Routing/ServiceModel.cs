using System.Collections.Immutable;

namespace Slipway.Core.Routing;

/// <summary>
/// A service as the proxy sees it: its revisions with traffic weights and each
/// revision's ready endpoints, plus how to balance and protect them.
/// </summary>
internal sealed record ServiceModel(
    string Name,
    ImmutableArray<RevisionModel> Revisions,
    ServicePolicy Policy);
