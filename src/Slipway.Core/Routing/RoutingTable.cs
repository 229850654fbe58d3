using System.Collections.Immutable;

namespace Slipway.Core.Routing;

/// <summary>
/// What the proxy routes by, derived by the control plane from the manifest, the
/// supervisor's ready instances and the rollout controller's weights. Immutable and
/// replaced whole: the request path reads one snapshot and never takes a lock.
/// </summary>
internal sealed record RoutingTable(
    long Generation,
    ImmutableArray<RouteModel> Routes,
    ImmutableDictionary<string, ServiceModel> Services)
{
    public static RoutingTable Empty { get; } =
        new(0, ImmutableArray<RouteModel>.Empty, ImmutableDictionary<string, ServiceModel>.Empty);
}
