namespace Slipway.Core.Routing;

/// <summary>The control plane's way to change where traffic goes: one atomic swap per call.</summary>
internal interface IRoutingTablePublisher
{
    void Publish(RoutingTable table);
}
