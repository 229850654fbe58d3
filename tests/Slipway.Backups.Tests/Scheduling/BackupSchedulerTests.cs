using Slipway.Backups.Scheduling;
using Slipway.Core.Scheduling;
using Slipway.Testing;

namespace Slipway.Backups.Tests.Scheduling;

public sealed class BackupSchedulerTests
{
    [Fact]
    public async Task RunAsync_Daily_RunsAtEachOccurrenceOnTheInjectedClock()
    {
        var clock = new TimerCountingClock();
        var runs = new List<DateTimeOffset>();
        using var ran = new SemaphoreSlim(0);
        using var stop = new CancellationTokenSource();
        var scheduler = new BackupScheduler(clock).RunAsync(
            CronExpression.Parse("0 2 * * *"),
            _ =>
            {
                runs.Add(clock.GetUtcNow());
                ran.Release();
                return Task.CompletedTask;
            },
            stop.Token);

        Assert.True(SpinWait.SpinUntil(() => clock.ScheduledTimerCount > 0, TimeSpan.FromSeconds(10)));
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Empty(runs);
        clock.Advance(TimeSpan.FromHours(1));
        Assert.True(await ran.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(SpinWait.SpinUntil(() => clock.ScheduledTimerCount > 0, TimeSpan.FromSeconds(10)));
        clock.Advance(TimeSpan.FromDays(1));
        Assert.True(await ran.WaitAsync(TimeSpan.FromSeconds(10)));
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scheduler);
        Assert.Equal([new DateTimeOffset(2026, 1, 1, 2, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 2, 2, 0, 0, TimeSpan.Zero)], runs);
    }
}
