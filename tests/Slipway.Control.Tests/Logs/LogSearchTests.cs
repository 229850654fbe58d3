using Slipway.Control.Logs;
using Slipway.Testing;

namespace Slipway.Control.Tests.Logs;

/// <summary>Search over stamped files written as the collector writes them, across services, revisions and rotated files.</summary>
public sealed class LogSearchTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    public LogSearchTests()
    {
        // api revision 6 (rotated once), api revision 7, and web: interleaved in time.
        Write("api", "api-6-0.log.1", (0, "stdout", "INFO boot 6"), (2, "stdout", """{"level":"error","msg":"timeout calling db","path":"/pay"}"""));
        Write("api", "api-6-0.log", (4, "stderr", "connection reset"));
        Write("api", "api-7-0.log", (1, "stdout", """{"level":"info","msg":"boot 7"}"""), (5, "stdout", """{"level":"error","msg":"timeout again"}"""), (7, "stdout", "DEBUG tick"));
        Write("web", "web-1-0.log", (3, "stdout", "ERROR timeout on web"), (6, "stdout", "served"));
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Newest_NoFilter_AllServicesMergedByTime()
    {
        var lines = LogSearch.Newest(_dir.Path, new LogQuery());
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7], lines.Select(l => (int)(l.Time - T0).TotalSeconds));
        Assert.Equal(["6", "7", "6", "1", "6", "7", "1", "7"], lines.Select(l => l.Revision));
    }

    [Fact]
    public void Newest_ServiceRevisionLevelGrep_AllApplied()
    {
        var lines = LogSearch.Newest(_dir.Path, new LogQuery { Service = "api", Level = LineLevel.Error, Pattern = LogQuery.Grep("TIME?OUT") });
        Assert.Equal(["timeout calling db", "timeout again"], lines.Select(l => l.Message));

        var revision7 = LogSearch.Newest(_dir.Path, new LogQuery { Service = "api", Revision = "7", Level = LineLevel.Error });
        Assert.Equal(["timeout again"], revision7.Select(l => l.Message));
    }

    [Fact]
    public void Newest_LevelWarn_IncludesUnlabelledStderrAndErrors()
    {
        var lines = LogSearch.Newest(_dir.Path, new LogQuery { Level = LineLevel.Warn });
        Assert.Equal(["timeout calling db", "ERROR timeout on web", "connection reset", "timeout again"], lines.Select(l => l.Message));
    }

    [Fact]
    public void Newest_GrepOnJsonFieldValue_Matches()
    {
        var lines = LogSearch.Newest(_dir.Path, new LogQuery { Pattern = LogQuery.Grep("^/pay$") });
        Assert.Equal(["timeout calling db"], lines.Select(l => l.Message));
    }

    [Fact]
    public void Newest_Limit_KeepsNewestInTimeOrder()
    {
        var lines = LogSearch.Newest(_dir.Path, new LogQuery { Limit = 3 });
        Assert.Equal(["served", "DEBUG tick"], lines.Skip(1).Select(l => l.Message));
        Assert.Equal(5, (int)(lines[0].Time - T0).TotalSeconds);
    }

    [Fact]
    public void Newest_SinceUntil_HalfOpenWindowSkippingWholeFiles()
    {
        var lines = LogSearch.Newest(_dir.Path, new LogQuery { Since = T0.AddSeconds(3), Until = T0.AddSeconds(6) });
        Assert.Equal([3, 4, 5], lines.Select(l => (int)(l.Time - T0).TotalSeconds));
    }

    [Fact]
    public void Newest_ManyLinesSmallLimit_HoldsOnlyLimit()
    {
        var path = Path.Combine(LogPaths.ServiceDirectory(_dir.Path, "bulk"), "bulk-1-0.log");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var writer = new StreamWriter(path))
        {
            for (var i = 0; i < 200_000; i++)
            {
                writer.Write(new LogLine(T0.AddMilliseconds(i), "bulk-1-0", "stdout", $"line {i}").Format());
                writer.Write('\n');
            }
        }

        var lines = LogSearch.Newest(_dir.Path, new LogQuery { Service = "bulk", Limit = 2 });
        Assert.Equal(["line 199998", "line 199999"], lines.Select(l => l.Message));
    }

    [Fact]
    public void Newest_LineWithABareCarriageReturn_FoundWhole()
    {
        // A progress bar or a forged line: the collector stores it as one line; search must not split it at the CR.
        var path = Path.Combine(LogPaths.ServiceDirectory(_dir.Path, "bar"), "bar-1-0.log");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, new LogLine(T0.AddSeconds(8), "bar-1-0", "stdout", "working 10%\rall services healthy").Format() + "\n"
            + new LogLine(T0.AddSeconds(9), "bar-1-0", "stdout", "done").Format() + "\n");

        var lines = LogSearch.Newest(_dir.Path, new LogQuery { Service = "bar" });
        Assert.Equal(["working 10%\rall services healthy", "done"], lines.Select(l => l.Text));

        var found = LogSearch.Newest(_dir.Path, new LogQuery { Pattern = LogQuery.Grep("services healthy") });
        Assert.Equal("working 10%\rall services healthy", Assert.Single(found).Text);
    }

    private void Write(string service, string file, params (int Second, string Stream, string Text)[] lines)
    {
        var path = Path.Combine(LogPaths.ServiceDirectory(_dir.Path, service), file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var instance = file[..file.IndexOf(".log", StringComparison.Ordinal)];
        File.WriteAllLines(path, lines.Select(l => new LogLine(T0.AddSeconds(l.Second), instance, l.Stream, l.Text).Format()));
    }
}
