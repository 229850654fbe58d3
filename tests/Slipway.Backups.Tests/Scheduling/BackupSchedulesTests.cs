using Microsoft.Extensions.Logging.Abstractions;
using Slipway.Backups.Scheduling;
using Slipway.Core.Scheduling;
using Slipway.Testing;

namespace Slipway.Backups.Tests.Scheduling;

public sealed class BackupSchedulesTests
{
    [Fact]
    public async Task RunAsync_OneTaskFails_ItIsReportedAndBothSchedulesGoOn()
    {
        var clock = new TimerCountingClock();
        var good = 0;
        var bad = 0;
        var failures = new List<string>();
        using var ran = new SemaphoreSlim(0);
        using var stop = new CancellationTokenSource();
        var tasks = new List<ScheduledBackupTask>
        {
            new("backup main-db", CronExpression.Parse("0 2 * * *"), _ =>
            {
                Interlocked.Increment(ref good);
                ran.Release();
                return Task.CompletedTask;
            }),
            new("verify main-db", CronExpression.Parse("0 2 * * *"), _ =>
            {
                Interlocked.Increment(ref bad);
                ran.Release();
                throw new BackupException("cannot reach the database");
            }),
        };
        var schedules = new BackupSchedules(tasks, clock, NullLogger.Instance, (task, e) =>
        {
            lock (failures)
            {
                failures.Add($"{task.Name}: {e.Message}");
            }
        }).RunAsync(stop.Token);

        for (var day = 1; day <= 2; day++)
        {
            Assert.True(SpinWait.SpinUntil(() => clock.ScheduledTimerCount == 2, TimeSpan.FromSeconds(10)), "both schedules wait");
            clock.Advance(TimeSpan.FromDays(1));
            Assert.True(await ran.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.True(await ran.WaitAsync(TimeSpan.FromSeconds(10)));
        }

        await stop.CancelAsync();
        await schedules.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2, good);
        Assert.Equal(2, bad);
        lock (failures)
        {
            Assert.Equal(["verify main-db: cannot reach the database", "verify main-db: cannot reach the database"], failures);
        }
    }
}
