using Slipway.Core.Routing;

namespace Slipway.Control.Routing;

/// <summary>
/// The in-flight counts when no proxy runs in this daemon: no request passes through Slipway, so there is
/// nothing to drain and every count is truly zero. Replaced by the proxy's own <see cref="IEndpointLoad"/>.
/// </summary>
internal sealed class NoProxyEndpointLoad : IEndpointLoad
{
    public static NoProxyEndpointLoad Instance { get; } = new();

    public int InFlight(string endpointId) => 0;
}
