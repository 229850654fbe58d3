using Slipway.Proxy.LoadBalancing;
using Slipway.Proxy.Tests.Support;
using static Slipway.Proxy.Tests.LoadBalancing.PolicyTestKit;

namespace Slipway.Proxy.Tests.LoadBalancing;

public sealed class PowerOfTwoChoicesPolicyTests
{
    [Fact]
    public void Pick_TwoCandidates_TakesTheLessLoaded()
    {
        var revision = Revision(1, 1, 1);
        Load(revision.Endpoints[0], 5);
        Load(revision.Endpoints[2], 1);
        var policy = new PowerOfTwoChoicesPolicy(new FixedRandom(0, 2));

        Assert.Equal("e2", policy.Pick(revision, Filter(), 0)!.Id);
    }

    [Fact]
    public void Pick_LoadComparedPerUnitOfWeight()
    {
        var revision = Revision(4, 1);
        Load(revision.Endpoints[0], 3);
        Load(revision.Endpoints[1], 1);

        // Candidates e0 (3 in flight / weight 4) and e1 (1 / 1): e0 is less loaded per weight.
        var policy = new PowerOfTwoChoicesPolicy(new FixedRandom(0, 4));

        Assert.Equal("e0", policy.Pick(revision, Filter(), 0)!.Id);
    }

    [Fact]
    public void Pick_SameCandidateTwice_ComparesWithTheNextEndpoint()
    {
        var revision = Revision(1, 1, 1);
        Load(revision.Endpoints[1], 2);
        var policy = new PowerOfTwoChoicesPolicy(new FixedRandom(1, 1));

        Assert.Equal("e2", policy.Pick(revision, Filter(), 0)!.Id);
    }

    [Fact]
    public void Pick_CandidatesExcluded_FallsBackToAnyAllowedEndpoint()
    {
        var revision = Revision(1, 1, 1);
        var filter = Filter();
        filter.Exclude(0);
        filter.Exclude(1);
        var policy = new PowerOfTwoChoicesPolicy(new FixedRandom(0, 1));

        Assert.Equal("e2", policy.Pick(revision, in filter, 0)!.Id);
    }

    [Fact]
    public void Pick_EveryEndpointAtMaxInFlight_ReturnsNull()
    {
        var revision = Revision(1, 1);
        Load(revision.Endpoints[0], 2);
        Load(revision.Endpoints[1], 2);
        var policy = new PowerOfTwoChoicesPolicy(new FixedRandom(0, 1));

        Assert.Null(policy.Pick(revision, Filter(maxInFlight: 2), 0));
    }

    [Fact]
    public void Pick_ManyPicks_HonoursWeightsWhenIdle()
    {
        var revision = Revision(3, 1);
        var counts = Count(new PowerOfTwoChoicesPolicy(new Random(7)), revision, 4000);

        // Idle endpoints tie, so the first weighted candidate wins: about 3:1.
        Assert.InRange(counts["e0"], 2600, 3400);
    }
}
