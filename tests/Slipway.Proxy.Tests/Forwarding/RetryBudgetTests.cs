using Slipway.Proxy.Forwarding;

namespace Slipway.Proxy.Tests.Forwarding;

public sealed class RetryBudgetTests
{
    [Fact]
    public void TryWithdraw_Reserve_AllowsThatManyRetriesThenRefuses()
    {
        var budget = new RetryBudget(ratio: 0.2, reserve: 3);

        Assert.True(budget.TryWithdraw());
        Assert.True(budget.TryWithdraw());
        Assert.True(budget.TryWithdraw());
        Assert.False(budget.TryWithdraw());
    }

    [Fact]
    public void RecordRequest_FiveRequests_EarnOneRetryAtTwentyPercent()
    {
        var budget = new RetryBudget(ratio: 0.2, reserve: 0);
        for (var i = 0; i < 4; i++)
        {
            budget.RecordRequest();
        }

        Assert.False(budget.TryWithdraw());
        budget.RecordRequest();
        Assert.True(budget.TryWithdraw());
        Assert.False(budget.TryWithdraw());
    }

    [Fact]
    public void RecordRequest_SustainedFailure_KeepsRetriesAtTheRatio()
    {
        var budget = new RetryBudget(ratio: 0.2, reserve: 0);
        var retries = 0;
        for (var i = 0; i < 1000; i++)
        {
            budget.RecordRequest();
            if (budget.TryWithdraw())
            {
                retries++;
            }
        }

        Assert.Equal(200, retries);
    }

    [Fact]
    public void RecordRequest_LongQuietSpell_BalanceIsCapped()
    {
        var budget = new RetryBudget(ratio: 0.2, reserve: 0, maxRetries: 10);
        for (var i = 0; i < 10_000; i++)
        {
            budget.RecordRequest();
        }

        var retries = 0;
        while (budget.TryWithdraw())
        {
            retries++;
        }

        Assert.Equal(10, retries);
    }
}
