using Slipway.Proxy.LoadBalancing;
using Slipway.Proxy.Tests.Support;
using static Slipway.Proxy.Tests.LoadBalancing.PolicyTestKit;

namespace Slipway.Proxy.Tests.LoadBalancing;

public sealed class LeastRequestsPolicyTests
{
    [Fact]
    public void Pick_FewestInFlight_Wins()
    {
        var revision = Revision(1, 1, 1);
        Load(revision.Endpoints[0], 2);
        Load(revision.Endpoints[1], 1);
        Load(revision.Endpoints[2], 3);

        Assert.Equal("e1", new LeastRequestsPolicy(new FixedRandom(0)).Pick(revision, Filter(), 0)!.Id);
    }

    [Fact]
    public void Pick_InFlightIsWeighed()
    {
        var revision = Revision(1, 4);
        Load(revision.Endpoints[0], 1);
        Load(revision.Endpoints[1], 3);

        Assert.Equal("e1", new LeastRequestsPolicy(new FixedRandom(0)).Pick(revision, Filter(), 0)!.Id);
    }

    [Fact]
    public void Pick_Ties_BrokenByRandomStart()
    {
        var revision = Revision(1, 1, 1);

        Assert.Equal("e2", new LeastRequestsPolicy(new FixedRandom(2)).Pick(revision, Filter(), 0)!.Id);
        Assert.Equal("e1", new LeastRequestsPolicy(new FixedRandom(1)).Pick(revision, Filter(), 0)!.Id);
    }
}
