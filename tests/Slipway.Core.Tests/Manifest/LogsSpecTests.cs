using Slipway.Core.Manifest;

namespace Slipway.Core.Tests.Manifest;

/// <summary>The top-level <c>logs:</c> section: retention by age and total size.</summary>
public sealed class LogsSpecTests
{
    private static ManifestLoadResult Load(string yaml) => ManifestLoader.LoadText(yaml.ReplaceLineEndings("\n"), "app.yaml", Path.GetTempPath());

    [Fact]
    public void Load_NoLogsSection_SevenDaysOneGigabyte()
    {
        var manifest = Load("app: a\n").Manifest!;
        Assert.Equal(TimeSpan.FromDays(7), manifest.Logs.MaxAge);
        Assert.Equal(1L << 30, manifest.Logs.MaxSize.Bytes);
    }

    [Fact]
    public void Load_LogsSection_Read()
    {
        var manifest = Load("app: a\nlogs: { maxAge: 2d, maxSize: 200MB }\n").Manifest!;
        Assert.Equal(TimeSpan.FromDays(2), manifest.Logs.MaxAge);
        Assert.Equal(200L << 20, manifest.Logs.MaxSize.Bytes);
    }

    [Theory]
    [InlineData("app: a\nlogs:\n  maxAge: 10s\n", "app.yaml:3:11: logs.maxAge must be at least 1m (got 10s)")]
    [InlineData("app: a\nlogs:\n  maxSize: 10KB\n", "app.yaml:3:12: logs.maxSize must be at least 1MB (got 10240 bytes)")]
    [InlineData("app: a\nlogs:\n  maxAge: forever\n", "app.yaml:3:11: logs.maxAge must be a duration")]
    public void Load_BadRetention_ErrorAtThePlace(string yaml, string expected) =>
        Assert.Contains(Load(yaml).FormattedErrors, e => e.StartsWith(expected, StringComparison.Ordinal));
}
