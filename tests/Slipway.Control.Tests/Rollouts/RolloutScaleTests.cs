using Slipway.Control.Rollouts;

namespace Slipway.Control.Tests.Rollouts;

/// <summary>The autoscaler's total during a canary, split between the revisions by the canary's weight.</summary>
public sealed class RolloutScaleTests
{
    [Theory]
    [InlineData(10, 20, 8, 2)]
    [InlineData(10, 50, 5, 5)]
    [InlineData(3, 5, 3, 1)] // each side rounded up, and the canary keeps one
    [InlineData(2, 100, 1, 2)] // stable keeps one, the way back
    public void Split_TotalAndWeight_EachRevisionItsShare(int total, int weight, int stable, int canary) =>
        Assert.Equal((stable, canary), Rollout.Split(total, weight));
}
