using Slipway.Proxy.Routing;

namespace Slipway.Proxy.LoadBalancing;

/// <summary>Smooth weighted round-robin over the revision's precomputed slots.</summary>
internal sealed class RoundRobinPolicy : ILoadBalancingPolicy
{
    public string Name => LoadBalancingPolicies.RoundRobin;

    public CompiledEndpoint? Pick(CompiledRevision revision, in EndpointFilter filter, uint clientHash)
    {
        var slots = revision.Slots;
        if (slots.Length == 0)
        {
            return null;
        }

        var index = slots[revision.NextRoundRobin() % slots.Length];
        return filter.FirstAllowed(revision.Endpoints, index);
    }
}
