using Slipway.Control.Routing;
using Slipway.Core.Routing;

namespace Slipway.Server;

/// <summary>
/// Where the control plane meets the proxy: routing tables are published to <see cref="Publisher"/> and in-flight
/// counts read from <see cref="Load"/> to drain. The edge proxy supplies both; <see cref="None"/> stands in for a
/// daemon without one (nothing routes, nothing is in flight).
/// </summary>
internal sealed record DataPlane(IRoutingTablePublisher Publisher, IEndpointLoad Load)
{
    public static DataPlane None() => new(new LatestTablePublisher(), NoProxyEndpointLoad.Instance);
}
