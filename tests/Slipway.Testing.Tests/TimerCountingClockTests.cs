namespace Slipway.Testing.Tests;

public sealed class TimerCountingClockTests
{
    [Fact]
    public void ScheduledTimerCount_CountsTimersThatCanStillFire()
    {
        var clock = new TimerCountingClock();
        using var once = clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        using var periodic = clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        using var stopped = clock.CreateTimer(_ => { }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Assert.Equal(2, clock.ScheduledTimerCount);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, clock.ScheduledTimerCount);

        periodic.Dispose();
        Assert.Equal(0, clock.ScheduledTimerCount);

        stopped.Change(TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        Assert.Equal(1, clock.ScheduledTimerCount);
    }

    [Fact]
    public async Task ScheduledTimerCount_RisesWhenCodeStartsADelay()
    {
        var clock = new TimerCountingClock();

        var delay = Task.Delay(TimeSpan.FromMinutes(1), clock);
        Assert.Equal(1, clock.ScheduledTimerCount);
        clock.Advance(TimeSpan.FromMinutes(1));

        await delay.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, clock.ScheduledTimerCount);
        Assert.Equal(TestClock.Start.AddMinutes(1), clock.GetUtcNow());
    }
}
