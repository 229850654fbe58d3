using Slipway.Proxy.Routing;

namespace Slipway.Proxy.LoadBalancing;

/// <summary>
/// The client address picks a weighted slot, so one client keeps one endpoint while the set is
/// stable; when that endpoint is out, the next allowed one takes it.
/// </summary>
internal sealed class IpHashPolicy : ILoadBalancingPolicy
{
    public string Name => LoadBalancingPolicies.IpHash;

    public CompiledEndpoint? Pick(CompiledRevision revision, in EndpointFilter filter, uint clientHash)
    {
        var slots = revision.Slots;
        return slots.Length == 0 ? null : filter.FirstAllowed(revision.Endpoints, slots[clientHash % (uint)slots.Length]);
    }
}
