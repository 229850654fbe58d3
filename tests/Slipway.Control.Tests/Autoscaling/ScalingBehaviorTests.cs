using Slipway.Control.Autoscaling;
using Slipway.Core.Manifest.Model;
using Slipway.Testing;

namespace Slipway.Control.Tests.Autoscaling;

/// <summary>
/// Behaviours as the HorizontalPodAutoscaler applies them (kubernetes.io, "Horizontal Pod Autoscaling":
/// configurable scaling behavior), on a manual clock: stabilization windows, policies over their periods,
/// selectPolicy, and min/max.
/// </summary>
public sealed class ScalingBehaviorTests
{
    private readonly DateTimeOffset _t0 = TestClock.Start;

    private static (int Replicas, string? Limited) Look(ScalingBehavior behavior, DateTimeOffset now, int current, int proposed, ScalingRules? up = null, ScalingRules? down = null, int min = 1, int max = 100)
    {
        behavior.Start(now, current);
        return behavior.Normalize(now, current, proposed, min, max, up ?? ScalingRules.DefaultUp, down ?? ScalingRules.DefaultDown);
    }

    [Fact]
    public void Normalize_LoadDropsInsideTheDownWindow_HeldAtTheHighestRecommendation()
    {
        var behavior = new ScalingBehavior();
        Look(behavior, _t0, 10, 10);

        var (replicas, limited) = Look(behavior, _t0 + TimeSpan.FromMinutes(1), 10, 2);

        Assert.Equal(10, replicas);
        Assert.Contains("highest recommendation of the last 5m", limited, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_LoadStaysLowForTheWholeWindow_ScalesDown()
    {
        var behavior = new ScalingBehavior();
        Look(behavior, _t0, 10, 10);
        Look(behavior, _t0 + TimeSpan.FromMinutes(1), 10, 2);

        // Every recommendation of the last five minutes is 2 now.
        Assert.Equal(2, Look(behavior, _t0 + TimeSpan.FromMinutes(6) + TimeSpan.FromSeconds(1), 10, 2).Replicas);
    }

    [Fact]
    public void Normalize_FirstLookOfAServiceUnderLowLoad_DoesNotScaleDownAtOnce()
    {
        // The first look records the current count, so a daemon that just started waits a window too.
        Assert.Equal(6, Look(new ScalingBehavior(), _t0, 6, 1).Replicas);
    }

    [Fact]
    public void Normalize_ScaleUpByDefault_ByFourOrByHalfAgainWhicheverIsMore()
    {
        var behavior = new ScalingBehavior();

        // From 2: 100% allows 4, 4 instances allow 6; the larger wins.
        var (replicas, limited) = Look(behavior, _t0, 2, 50);
        Assert.Equal(6, replicas);
        Assert.Contains("scale-up policies", limited, StringComparison.Ordinal);
        behavior.Record(_t0, 2, 6, ScalingRules.DefaultUp, ScalingRules.DefaultDown);

        // Within the same 15 s the period still started at 2: nothing more.
        Assert.Equal(6, Look(behavior, _t0 + TimeSpan.FromSeconds(10), 6, 50).Replicas);

        // A new period starts at 6: 100% allows 12, more than 6 + 4.
        Assert.Equal(12, Look(behavior, _t0 + TimeSpan.FromSeconds(16), 6, 50).Replicas);
    }

    [Fact]
    public void Normalize_SelectPolicyMin_TakesTheMostCautiousPolicy()
    {
        var up = ScalingRules.DefaultUp with { Select = SelectPolicy.Min };

        // From 10: 100% allows 20, 4 instances 14; min picks 14.
        Assert.Equal(14, Look(new ScalingBehavior(), _t0, 10, 50, up: up).Replicas);
    }

    [Fact]
    public void Normalize_SelectPolicyDisabled_NeverScalesThatWay()
    {
        var down = ScalingRules.DefaultDown with { Stabilization = TimeSpan.Zero, Select = SelectPolicy.Disabled };

        Assert.Equal(8, Look(new ScalingBehavior(), _t0, 8, 2, down: down).Replicas);
    }

    [Fact]
    public void Normalize_ScaleDownPolicyOfOneInstancePerMinute_OnePerPeriod()
    {
        var down = new ScalingRules(TimeSpan.Zero, [new ScalingPolicy(false, 1, TimeSpan.FromMinutes(1))], SelectPolicy.Max, ScalingRules.DefaultTolerance);
        var behavior = new ScalingBehavior();

        Assert.Equal(7, Look(behavior, _t0, 8, 2, down: down).Replicas);
        behavior.Record(_t0, 8, 7, ScalingRules.DefaultUp, down);
        Assert.Equal(7, Look(behavior, _t0 + TimeSpan.FromSeconds(30), 7, 2, down: down).Replicas);
        Assert.Equal(6, Look(behavior, _t0 + TimeSpan.FromSeconds(61), 7, 2, down: down).Replicas);
    }

    [Fact]
    public void Normalize_UpStabilizationWindow_HeldAtTheLowestRecommendationUntilItPasses()
    {
        var up = ScalingRules.DefaultUp with { Stabilization = TimeSpan.FromMinutes(1) };
        var behavior = new ScalingBehavior();
        Look(behavior, _t0, 5, 5, up: up);

        // A spike to 9 thirty seconds later is held at the 5 recommended before it…
        var (held, limited) = Look(behavior, _t0 + TimeSpan.FromSeconds(30), 5, 9, up: up);
        Assert.Equal(5, held);
        Assert.Contains("lowest recommendation of the last 1m", limited, StringComparison.Ordinal);

        // …until every recommendation of the last minute asks for 9.
        Assert.Equal(9, Look(behavior, _t0 + TimeSpan.FromSeconds(61), 5, 9, up: up).Replicas);
    }

    [Fact]
    public void Normalize_ProposalAboveMax_ClampedToMax()
    {
        var (replicas, limited) = Look(new ScalingBehavior(), _t0, 4, 50, max: 6);

        Assert.Equal(6, replicas);
        Assert.Equal("at autoscale max 6", limited);
    }
}
