using Slipway.Proxy.LoadBalancing;
using Slipway.Proxy.Tests.Support;
using static Slipway.Proxy.Tests.LoadBalancing.PolicyTestKit;

namespace Slipway.Proxy.Tests.LoadBalancing;

public sealed class RandomPolicyTests
{
    [Theory]
    [InlineData(0, "e0")]
    [InlineData(2, "e0")]
    [InlineData(3, "e1")]
    [InlineData(5, "e2")]
    public void Pick_RandomPoint_SelectsByCumulativeWeight(int point, string expected)
    {
        var revision = Revision(3, 2, 1);
        var policy = new RandomPolicy(new FixedRandom(point));

        Assert.Equal(expected, policy.Pick(revision, Filter(), 0)!.Id);
    }

    [Fact]
    public void Pick_ChosenEndpointEjected_TakesTheNextAllowed()
    {
        var revision = Revision(1, 1, 1);
        revision.Endpoints[0].State.Health.ReportFailure(0);
        for (var i = 0; i < 10; i++)
        {
            revision.Endpoints[0].State.Health.ReportFailure(0);
        }

        var policy = new RandomPolicy(new FixedRandom(0));

        Assert.Equal("e1", policy.Pick(revision, Filter(), 0)!.Id);
    }
}
