using Slipway.Proxy.LoadBalancing;
using static Slipway.Proxy.Tests.LoadBalancing.PolicyTestKit;

namespace Slipway.Proxy.Tests.LoadBalancing;

public sealed class IpHashPolicyTests
{
    [Fact]
    public void Pick_SameClientHash_SameEndpointEveryTime()
    {
        var revision = Revision(1, 1, 1);
        var counts = Count(new IpHashPolicy(), revision, 50, hash: 123456);

        Assert.Single(counts);
    }

    [Fact]
    public void Pick_DifferentClients_SpreadOverEndpoints()
    {
        var revision = Revision(1, 1, 1);
        var policy = new IpHashPolicy();
        var filter = Filter();

        var ids = Enumerable.Range(0, 30).Select(h => policy.Pick(revision, in filter, (uint)h)!.Id).ToHashSet();

        Assert.Equal(3, ids.Count);
    }

    [Fact]
    public void Pick_ClientsEndpointExcluded_MovesToTheNext()
    {
        var revision = Revision(1, 1, 1);
        var policy = new IpHashPolicy();
        var filter = Filter();
        var usual = policy.Pick(revision, in filter, 7)!;
        filter.Exclude(usual.Index);

        Assert.NotEqual(usual.Id, policy.Pick(revision, in filter, 7)!.Id);
    }
}
