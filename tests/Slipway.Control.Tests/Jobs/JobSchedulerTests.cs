using System.Collections.Concurrent;
using Slipway.Control.Jobs;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Scheduling;
using Slipway.Testing;

namespace Slipway.Control.Tests.Jobs;

/// <summary>The scheduler on a manual clock: each occurrence of a job's schedule, read in its time zone, starts it once.</summary>
public sealed class JobSchedulerTests
{
    [Fact]
    public async Task RunAsync_ClockPassesOccurrencesInTheJobsZone_StartsItAtEachAndNeverAJobWithoutSchedule()
    {
        var clock = new TimerCountingClock();
        var started = new ConcurrentQueue<(string Job, DateTimeOffset At)>();
        var scheduler = new JobScheduler(clock, name => started.Enqueue((name, clock.GetUtcNow())));
        var jobs = new Dictionary<string, JobSpec>
        {
            // 03:00 in Berlin is 02:00 UTC in January.
            ["nightly"] = new() { Run = new CommandSpec { Command = "true" }, Schedule = CronExpression.Parse("0 3 * * *"), TimeZone = "Europe/Berlin" },
            ["by-hand"] = new() { Run = new CommandSpec { Command = "true" } },
        };
        using var stop = new CancellationTokenSource();
        var running = scheduler.RunAsync(jobs, stop.Token);

        await Wait.UntilAsync(() => clock.ScheduledTimerCount == 1, "the scheduler to wait for the first occurrence");
        clock.Advance(TimeSpan.FromMinutes(119));
        Assert.Empty(started);
        clock.Advance(TimeSpan.FromMinutes(1));
        await Wait.UntilAsync(() => started.Count == 1, "the first run to start");
        await Wait.UntilAsync(() => clock.ScheduledTimerCount == 1, "the scheduler to wait for the next occurrence");
        clock.Advance(TimeSpan.FromHours(24));
        await Wait.UntilAsync(() => started.Count == 2, "the second run to start");

        Assert.Equal(
            [("nightly", TestClock.Start.AddHours(2)), ("nightly", TestClock.Start.AddHours(26))],
            started.ToArray());
        await stop.CancelAsync();
        await running;
    }
}
