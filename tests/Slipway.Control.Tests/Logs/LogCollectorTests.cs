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
        var clock = new ManualTimeProvider();
        var raw = LogPaths.RawStdout(dir.Path, "api", "api-1-0");
        Directory.CreateDirectory(Path.GetDirectoryName(raw)!);
        await File.WriteAllTextAsync(raw, "{\"level\":\"warn\",\"msg\":\"disk low\"}\nplain line\npartial");
        await using var collector = new LogCollector(clock, NullLogger.Instance, new LogOptions());
        collector.Attach("api-1-0", raw, LogPaths.RawStderr(dir.Path, "api", "api-1-0"), LogPaths.Stamped(dir.Path, "api", "api-1-0"));

        collector.Flush();
        await File.AppendAllTextAsync(raw, " ends here\n");
        clock.Advance(TimeSpan.FromSeconds(5));
        collector.Flush();

        var lines = LogReader.Read(dir.Path, "api");
        Assert.Equal(["{\"level\":\"warn\",\"msg\":\"disk low\"}", "plain line", "partial ends here"], lines.Select(l => l.Text));
        Assert.Equal(ManualTimeProvider.DefaultStart, lines[0].Time);
        // The collector's own 250ms tick, fired while the clock moved, read the rest of the line first.
        Assert.Equal(ManualTimeProvider.DefaultStart.AddMilliseconds(250), lines[2].Time);
        Assert.Equal(("warn", "disk low"), lines[0].Structured());
        Assert.Null(lines[1].Structured());
    }

    [Fact]
    public async Task Flush_OverMaxFileBytes_RotatesAndKeepsBound()
    {
        using var dir = new TempDirectory();
        var raw = LogPaths.RawStdout(dir.Path, "api", "a");
        Directory.CreateDirectory(Path.GetDirectoryName(raw)!);
        await using var collector = new LogCollector(new ManualTimeProvider(), NullLogger.Instance, new LogOptions { MaxFileBytes = 200, KeepFiles = 2, MaxRawBytes = 100 });
        collector.Attach("a", raw, raw + ".none", LogPaths.Stamped(dir.Path, "api", "a"));
        for (var i = 0; i < 20; i++)
        {
            await File.AppendAllTextAsync(raw, $"line {i} {new string('x', 40)}\n");
            collector.Flush();
        }

        var files = Directory.GetFiles(LogPaths.ServiceDirectory(dir.Path, "api"), "a.log*");
        Assert.Equal(3, files.Length);
        Assert.Contains(LogReader.Read(dir.Path, "api"), l => l.Text.StartsWith("line 19 ", StringComparison.Ordinal));
        Assert.True(new FileInfo(raw).Length <= 100 + 60, "the raw file is truncated once read past its bound");
    }
}
