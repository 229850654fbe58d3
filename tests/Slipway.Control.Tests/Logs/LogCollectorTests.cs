using Microsoft.Extensions.Logging.Abstractions;
using Slipway.Control.Logs;
using Slipway.Testing;

namespace Slipway.Control.Tests.Logs;

public sealed class LogCollectorTests
{
    [Fact]
    public async Task Flush_RawLines_StampedWithClockAndReadable()
    {
        using var dir = new TempDirectory();
        var clock = new TimerCountingClock();
        var raw = LogPaths.RawStdout(dir.Path, "api", "api-1-0");
        Directory.CreateDirectory(Path.GetDirectoryName(raw)!);
        await File.WriteAllTextAsync(raw, "{\"level\":\"warn\",\"msg\":\"disk low\"}\nplain line\npartial");
        await using var collector = new LogCollector(clock, NullLogger.Instance, new LogOptions());
        collector.Attach("api-1-0", raw, LogPaths.RawStderr(dir.Path, "api", "api-1-0"), LogPaths.Stamped(dir.Path, "api", "api-1-0"));

        var restShipped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        collector.Written += batch =>
        {
            if (batch.Any(l => l.Text == "partial ends here"))
            {
                restShipped.TrySetResult();
            }
        };

        collector.Flush();
        await File.AppendAllTextAsync(raw, " ends here\n");
        // The tick's flush runs on the collector's loop: wait for its timer, move to the tick, wait for the flush.
        Assert.True(SpinWait.SpinUntil(() => clock.ScheduledTimerCount > 0, TimeSpan.FromSeconds(10)), "the collector's tick");
        clock.Advance(TimeSpan.FromMilliseconds(250));
        await restShipped.Task.WaitAsync(TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromMilliseconds(4750));
        collector.Flush();

        var lines = LogSearch.Newest(dir.Path, new LogQuery());
        Assert.Equal(["{\"level\":\"warn\",\"msg\":\"disk low\"}", "plain line", "partial ends here"], lines.Select(l => l.Text));
        Assert.Equal(TestClock.Start, lines[0].Time);
        // The collector's own 250ms tick read the rest of the line before the explicit flush did.
        Assert.Equal(TestClock.Start.AddMilliseconds(250), lines[2].Time);
        Assert.Equal((LineLevel.Warn, "disk low"), (lines[0].Level, lines[0].Message));
        Assert.Equal(("api", "1"), (lines[0].Service, lines[0].Revision));
    }

    [Fact]
    public async Task Flush_OverMaxFileBytes_RotatesAndKeepsBound()
    {
        using var dir = new TempDirectory();
        var raw = LogPaths.RawStdout(dir.Path, "api", "a");
        Directory.CreateDirectory(Path.GetDirectoryName(raw)!);
        await using var collector = new LogCollector(TestClock.Create(), NullLogger.Instance, new LogOptions { MaxFileBytes = 200, KeepFiles = 2, MaxRawBytes = 100 });
        collector.Attach("a", raw, raw + ".none", LogPaths.Stamped(dir.Path, "api", "a"));
        for (var i = 0; i < 20; i++)
        {
            await File.AppendAllTextAsync(raw, $"line {i} {new string('x', 40)}\n");
            collector.Flush();
        }

        var files = Directory.GetFiles(LogPaths.ServiceDirectory(dir.Path, "api"), "a.log*");
        Assert.Equal(3, files.Length);
        Assert.Contains(LogSearch.Newest(dir.Path, new LogQuery { Service = "api" }), l => l.Text.StartsWith("line 19 ", StringComparison.Ordinal));
        Assert.True(new FileInfo(raw).Length <= 100 + 60, "the raw file is truncated once read past its bound");
    }

    [Fact]
    public async Task Flush_NewLines_RaisedToFollowersWithServiceAndLevel()
    {
        using var dir = new TempDirectory();
        var raw = LogPaths.RawStderr(dir.Path, "web", "web-3-1");
        Directory.CreateDirectory(Path.GetDirectoryName(raw)!);
        await using var collector = new LogCollector(TestClock.Create(), NullLogger.Instance, new LogOptions());
        var seen = new List<LogEntry>();
        collector.Written += batch => seen.AddRange(batch);
        collector.Attach("web-3-1", LogPaths.RawStdout(dir.Path, "web", "web-3-1"), raw, LogPaths.Stamped(dir.Path, "web", "web-3-1"));

        await File.WriteAllTextAsync(raw, "connection refused\n");
        collector.Flush();

        var entry = Assert.Single(seen);
        Assert.Equal(("web", "3", "web-3-1", "stderr", LineLevel.Warn, "connection refused"), (entry.Service, entry.Revision, entry.Instance, entry.Stream, entry.Level, entry.Message));
    }

    [Fact]
    public async Task Loop_RetentionRootSet_DeletesOldFilesOfStoppedInstances()
    {
        using var dir = new TempDirectory();
        var clock = TestClock.Create();
        var old = LogPaths.Stamped(dir.Path, "api", "api-1-0");
        Directory.CreateDirectory(Path.GetDirectoryName(old)!);
        await File.WriteAllTextAsync(old, "2020-01-01T00:00:00.000Z\tstdout\tancient\n");
        File.SetLastWriteTimeUtc(old, clock.GetUtcNow().UtcDateTime.AddDays(-2));
        await using var collector = new LogCollector(clock, NullLogger.Instance, new LogOptions { RetentionRoot = LogPaths.Root(dir.Path), MaxAge = TimeSpan.FromDays(1) });

        // The loop's timer is created on its own task: keep the clock moving until it has ticked.
        await Wait.UntilAsync(() =>
        {
            clock.Advance(TimeSpan.FromMilliseconds(250));
            return !File.Exists(old);
        }, "retention to delete the old file");
    }
}
