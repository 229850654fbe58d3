using Slipway.Control.Logs;

namespace Slipway.Control.Tests.Logs;

public sealed class LogEntryTests
{
    private static readonly DateTimeOffset Read = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("""{"level":"error","msg":"db down"}""", "Error", "db down")]
    [InlineData("""{"severity":"WARNING","message":"slow"}""", "Warn", "slow")]
    [InlineData("""{"lvl":"dbug","msg":"x"}""", "Debug", "x")]
    [InlineData("""{"level":50,"msg":"pino"}""", "Error", "pino")]
    [InlineData("""{"@l":"Information","@m":"serilog"}""", "Info", "serilog")]
    public void From_JsonLine_LevelAndMessageFromCommonFields(string text, string level, string message)
    {
        var entry = LogEntry.From("api", new LogLine(Read, "api-7-0", "stdout", text));
        Assert.Equal((Enum.Parse<LineLevel>(level), message), (entry.Level, entry.Message));
        Assert.Equal("7", entry.Revision);
    }

    [Theory]
    [InlineData("""{"time":"2026-11-22T09:59:59.5Z","msg":"a"}""")]
    [InlineData("""{"ts":1795341599.5,"msg":"a"}""")]
    [InlineData("""{"timestamp":"2026-11-22T09:59:59.500Z","msg":"a"}""")]
    public void From_JsonTimeField_KeptAsLoggedAt(string text)
    {
        var entry = LogEntry.From("api", new LogLine(Read, "api-7-0", "stdout", text));
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 9, 59, 59, 500, TimeSpan.Zero), entry.LoggedAt);
    }

    [Fact]
    public void From_NoLevel_StdoutInfoStderrWarn()
    {
        Assert.Equal(LineLevel.Info, LogEntry.From("api", new LogLine(Read, "api-1-0", "stdout", "hello")).Level);
        Assert.Equal(LineLevel.Warn, LogEntry.From("api", new LogLine(Read, "api-1-0", "stderr", "hello")).Level);
        Assert.Equal(LineLevel.Warn, LogEntry.From("api", new LogLine(Read, "api-1-0", "stderr", """{"msg":"no level"}""")).Level);
        Assert.Equal(LineLevel.Info, LogEntry.From("api", new LogLine(Read, "api-1-0", "stderr", """{"level":"info","msg":"said so"}""")).Level);
    }

    [Fact]
    public void From_JsonLine_SearchableHoldsValuesNotKeys()
    {
        var entry = LogEntry.From("api", new LogLine(Read, "api-1-0", "stdout", """{"msg":"request","path":"/pay","nested":{"code":504}}"""));
        Assert.Contains("/pay", entry.Searchable, StringComparison.Ordinal);
        Assert.Contains("504", entry.Searchable, StringComparison.Ordinal);
        Assert.DoesNotContain("path", entry.Searchable, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api", "api-7-0", "7")]
    [InlineData("api", "api-1.2-beta-3", "1.2-beta")]
    [InlineData("my-api", "my-api-7-0", "7")]
    [InlineData("api", "other", "")]
    public void RevisionOf_InstanceId_MiddlePart(string service, string instance, string revision) =>
        Assert.Equal(revision, LogPaths.RevisionOf(service, instance));
}
