using Slipway.Control.Routing;
using Slipway.Core.Routing;

namespace Slipway.Server;

/// <summary>
/// Where the supervisor meets the proxy: it publishes routing tables to <see cref="Publisher"/> and reads
/// in-flight counts from <see cref="Load"/> to drain. The proxy supplies both once it is wired in;
/// <see cref="None"/> is the honest stand-in until then (nothing routes, nothing is in flight).
/// </summary>
internal sealed record DataPlane(IRoutingTablePublisher Publisher, IEndpointLoad Load)
{
    public static DataPlane None() => new(new LatestTablePublisher(), NoProxyEndpointLoad.Instance);
}
