using Slipway.Proxy.LoadBalancing;
using static Slipway.Proxy.Tests.LoadBalancing.PolicyTestKit;

namespace Slipway.Proxy.Tests.LoadBalancing;

public sealed class RoundRobinPolicyTests
{
    [Fact]
    public void Pick_EqualWeights_Rotates()
    {
        var revision = Revision(1, 1, 1);
        var policy = new RoundRobinPolicy();
        var filter = Filter();

        var ids = Enumerable.Range(0, 6).Select(_ => policy.Pick(revision, in filter, 0)!.Id).ToArray();

        Assert.Equal(["e0", "e1", "e2", "e0", "e1", "e2"], ids);
    }

    [Fact]
    public void Pick_Weights_AreHonouredAndSpreadSmoothly()
    {
        var revision = Revision(3, 1);
        var policy = new RoundRobinPolicy();
        var filter = Filter();

        var ids = Enumerable.Range(0, 8).Select(_ => policy.Pick(revision, in filter, 0)!.Id).ToArray();

        Assert.Equal(6, ids.Count(id => id == "e0"));
        Assert.DoesNotContain("e1e1", string.Concat(ids), StringComparison.Ordinal);
    }

    [Fact]
    public void Pick_ExcludedEndpoint_IsSkipped()
    {
        var revision = Revision(1, 1, 1);
        var policy = new RoundRobinPolicy();
        var filter = Filter();
        filter.Exclude(1);

        var ids = Enumerable.Range(0, 6).Select(_ => policy.Pick(revision, in filter, 0)!.Id).ToArray();

        Assert.DoesNotContain("e1", ids);
    }
}
