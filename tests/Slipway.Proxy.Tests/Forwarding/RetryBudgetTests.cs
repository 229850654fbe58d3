using Microsoft.Extensions.Time.Testing;
using Slipway.Proxy.Forwarding;
using Slipway.Testing;

namespace Slipway.Proxy.Tests.Forwarding;

public sealed class RetryBudgetTests
{
    private readonly FakeTimeProvider _time = TestClock.Create();

    private static int Withdraw(RetryBudget budget, int tries)
    {
        var granted = 0;
        for (var i = 0; i < tries; i++)
        {
            if (budget.TryWithdraw())
            {
                granted++;
            }
        }

        return granted;
    }

    private static void Requests(RetryBudget budget, int count)
    {
        for (var i = 0; i < count; i++)
        {
            budget.RecordRequest();
        }
    }

    [Fact]
    public void TryWithdraw_QuietService_TheFloorAllowsAFewRetriesPerSecondOfTheWindow()
    {
        var budget = new RetryBudget(_time, ratio: 0.2, minRetriesPerSecond: 3, windowSeconds: 10);

        Assert.Equal(30, Withdraw(budget, 100));
    }

    [Fact]
    public void TryWithdraw_HundredRequests_AllowTwentyRetriesAtTwentyPercent()
    {
        var budget = new RetryBudget(_time, ratio: 0.2, minRetriesPerSecond: 0);
        Requests(budget, 99);
        Assert.Equal(19, Withdraw(budget, 100));

        budget.RecordRequest();

        Assert.True(budget.TryWithdraw());
        Assert.False(budget.TryWithdraw());
    }

    [Fact]
    public void Ratio_Changed_AppliesToTheCountsAlreadyInTheWindow()
    {
        var budget = new RetryBudget(_time, ratio: 0.2, minRetriesPerSecond: 0);
        Requests(budget, 100);
        Assert.Equal(20, Withdraw(budget, 100));

        budget.Ratio = 0.5;

        Assert.Equal(30, Withdraw(budget, 100));
    }

    [Fact]
    public void TryWithdraw_RequestsOlderThanTheWindow_NoLongerEarnRetries()
    {
        var budget = new RetryBudget(_time, ratio: 0.2, minRetriesPerSecond: 0, windowSeconds: 10);
        Requests(budget, 100);

        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.False(budget.TryWithdraw());
    }

    [Fact]
    public void TryWithdraw_RetriesInsideTheWindow_KeepCounting()
    {
        var budget = new RetryBudget(_time, ratio: 0.2, minRetriesPerSecond: 0, windowSeconds: 10);
        Requests(budget, 50);
        _time.Advance(TimeSpan.FromSeconds(5));
        Requests(budget, 50);
        Assert.Equal(20, Withdraw(budget, 100));

        // The first 50 requests left the window; the 20 retries five seconds ago did not.
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(budget.TryWithdraw());

        // And once they leave too, the next 50 requests earn 10 again.
        _time.Advance(TimeSpan.FromSeconds(5));
        Requests(budget, 50);
        Assert.Equal(10, Withdraw(budget, 100));
    }

    [Fact]
    public void TryWithdraw_SustainedFailure_EveryWindowStaysWithinTheRatioPlusTheFloor()
    {
        var budget = new RetryBudget(_time, ratio: 0.2, minRetriesPerSecond: 1, windowSeconds: 10);
        var perSecond = new List<int>();
        for (var second = 0; second < 60; second++)
        {
            var granted = 0;
            for (var i = 0; i < 100; i++)
            {
                // Every request fails and asks for two retries.
                budget.RecordRequest();
                granted += Withdraw(budget, 2);
            }

            perSecond.Add(granted);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        for (var end = 1; end <= perSecond.Count; end++)
        {
            var window = perSecond.Skip(Math.Max(0, end - 10)).Take(Math.Min(end, 10)).Sum();
            Assert.InRange(window, 0, (0.2 * 100 * Math.Min(end, 10)) + 10);
        }

        // Not starved either: the ratio's worth over the minute.
        Assert.InRange(perSecond.Sum(), 0.2 * 6000, (0.2 * 6000) + (6 * 10));
    }

    [Fact]
    public void TryWithdraw_ManyThreadsAtOnce_NeverPassTheCap()
    {
        var budget = new RetryBudget(_time, ratio: 0.2, minRetriesPerSecond: 0);
        Requests(budget, 1000);
        var granted = 0;

        Parallel.For(0, 8, _ => Interlocked.Add(ref granted, Withdraw(budget, 100)));

        Assert.InRange(granted, 1, 200);
    }
}
