namespace Slipway.Cli.Tests;

/// <summary><c>restore --to-time</c>: PostgreSQL's spelling and ISO 8601 are accepted; a time without an offset is not.</summary>
public sealed class RestoreCommandTests
{
    [Theory]
    [InlineData("2026-11-21 10:15:00+00", "2026-11-21T10:15:00.0000000+00:00")]
    [InlineData("2026-11-21 11:15:00.25+01:00", "2026-11-21T10:15:00.2500000+00:00")]
    [InlineData("2026-11-21T10:15:00Z", "2026-11-21T10:15:00.0000000+00:00")]
    public void ParseTime_WithOffset_IsThatMoment(string text, string utc) =>
        Assert.Equal(utc, RestoreCommand.ParseTime(text)!.Value.ToUniversalTime().ToString("o", System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("2026-11-21 10:15:00")]
    [InlineData("yesterday")]
    public void ParseTime_WithoutOffset_IsRejected(string text) => Assert.Null(RestoreCommand.ParseTime(text));
}
