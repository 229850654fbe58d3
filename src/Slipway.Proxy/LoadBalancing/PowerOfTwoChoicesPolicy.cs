using Slipway.Proxy.Routing;

namespace Slipway.Proxy.LoadBalancing;

/// <summary>
/// Two weighted random candidates, the less loaded wins: close to least-requests without
/// scanning, and without the herd that pure least-requests causes across proxies.
/// </summary>
internal sealed class PowerOfTwoChoicesPolicy(Random random) : ILoadBalancingPolicy
{
    public string Name => LoadBalancingPolicies.PowerOfTwoChoices;

    public CompiledEndpoint? Pick(CompiledRevision revision, in EndpointFilter filter, uint clientHash)
    {
        var endpoints = revision.Endpoints;
        if (endpoints.Length == 1)
        {
            return filter.Allows(endpoints[0]) ? endpoints[0] : null;
        }

        var first = endpoints[revision.WeightedIndex(random)];
        var secondIndex = revision.WeightedIndex(random);
        if (secondIndex == first.Index)
        {
            secondIndex = (secondIndex + 1) % endpoints.Length;
        }

        var second = endpoints[secondIndex];
        var firstOk = filter.Allows(first);
        var secondOk = filter.Allows(second);
        if (firstOk && secondOk)
        {
            return EndpointFilter.LessLoaded(second, first) ? second : first;
        }

        if (firstOk)
        {
            return first;
        }

        return secondOk ? second : filter.LeastLoaded(endpoints, first.Index);
    }
}
