using Slipway.Control.Rollouts.Strategies;
using Slipway.Control.Runtime;

namespace Slipway.Control.Tests.Rollouts.Strategies;

public sealed class RolloutStrategiesTests
{
    [Fact]
    public void For_EveryStrategyName_TheStrategyOfThatName()
    {
        foreach (var name in Enum.GetValues<RolloutStrategy>())
        {
            Assert.Equal(name, RolloutStrategies.For(name).Name);
        }
    }

    [Fact]
    public void For_Rollback_NoHooksNoCommandNoWarmSet()
    {
        var rollback = RolloutStrategies.For(RolloutStrategy.Rollback);

        Assert.Equal(new StrategyTraits(RunsHooks: false, PromotedByCommand: false, AnalysesWhileWaiting: false, KeepsOldSetWarm: false), rollback.Traits);
    }

    [Theory]
    [InlineData("25%", 4, true, 1)]
    [InlineData("25%", 6, true, 2)]
    [InlineData("25%", 6, false, 1)]
    [InlineData("2", 6, false, 2)]
    [InlineData("lots", 6, true, 0)]
    public void CountOf_CountOrShare_RoundedUpForSurgeDownForUnavailable(string value, int replicas, bool roundUp, int expected)
    {
        Assert.Equal(expected, RollingStrategy.CountOf(value, replicas, roundUp));
    }
}
