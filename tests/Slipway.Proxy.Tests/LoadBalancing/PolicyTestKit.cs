using Slipway.Proxy.LoadBalancing;
using Slipway.Proxy.Routing;
using Slipway.Proxy.Tests.Support;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.LoadBalancing;

/// <summary>A compiled revision with the given endpoint weights, and helpers to load and pick.</summary>
internal static class PolicyTestKit
{
    public static CompiledRevision Revision(params int[] weights)
    {
        var endpoints = weights.Select((w, i) => Endpoint("e" + i, port: 1000 + i, weight: w)).ToArray();
        return Compile(Table([Route("r", "svc")], Service("svc", null, Tables.Revision("v1", 1, endpoints))))
            .Services["svc"].Revisions[0];
    }

    public static void Load(CompiledEndpoint endpoint, int inFlight)
    {
        for (var i = 0; i < inFlight; i++)
        {
            endpoint.State.TryAcquire(0);
        }
    }

    public static EndpointFilter Filter(int maxInFlight = 0) => new(0, maxInFlight);

    public static Dictionary<string, int> Count(ILoadBalancingPolicy policy, CompiledRevision revision, int picks, uint hash = 0)
    {
        var counts = new Dictionary<string, int>();
        var filter = Filter();
        for (var i = 0; i < picks; i++)
        {
            var id = policy.Pick(revision, in filter, hash)!.Id;
            counts[id] = counts.GetValueOrDefault(id) + 1;
        }

        return counts;
    }
}
