using Slipway.Proxy.Routing;

namespace Slipway.Proxy.LoadBalancing;

/// <summary>Weighted random choice; the next allowed endpoint when the chosen one is not.</summary>
internal sealed class RandomPolicy(Random random) : ILoadBalancingPolicy
{
    public string Name => LoadBalancingPolicies.Random;

    public CompiledEndpoint? Pick(CompiledRevision revision, in EndpointFilter filter, uint clientHash) =>
        revision.Endpoints.Length == 0 ? null : filter.FirstAllowed(revision.Endpoints, revision.WeightedIndex(random));
}
