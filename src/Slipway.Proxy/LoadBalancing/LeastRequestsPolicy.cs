using Slipway.Proxy.Routing;

namespace Slipway.Proxy.LoadBalancing;

/// <summary>The endpoint with the fewest in-flight requests per weight; a random start breaks ties.</summary>
internal sealed class LeastRequestsPolicy(Random random) : ILoadBalancingPolicy
{
    public string Name => LoadBalancingPolicies.LeastRequests;

    public CompiledEndpoint? Pick(CompiledRevision revision, in EndpointFilter filter, uint clientHash) =>
        filter.LeastLoaded(revision.Endpoints, revision.Endpoints.Length == 1 ? 0 : random.Next(revision.Endpoints.Length));
}
