using Slipway.Core.Scheduling;

namespace Slipway.Core.Tests.Scheduling;

public sealed class DeployWindowTests
{
    private static DeployWindow Parse(string text)
    {
        Assert.True(DeployWindow.TryParse(text, out var window, out var error), error);
        return window!;
    }

    [Theory]
    [InlineData("Sun 02:00-04:00 UTC", "2026-11-22T02:00:00Z", true)]
    [InlineData("Sun 02:00-04:00 UTC", "2026-11-22T04:00:00Z", false)]
    [InlineData("Sun 02:00-04:00 UTC", "2026-11-21T03:00:00Z", false)]
    [InlineData("Mon-Fri 09:00-17:00 Europe/Berlin", "2026-11-23T08:30:00Z", true)]
    [InlineData("Mon-Fri 09:00-17:00 Europe/Berlin", "2026-11-23T07:30:00Z", false)]
    [InlineData("Sat,Sun 00:00-24:00", "2026-11-21T23:59:00Z", true)]
    [InlineData("Fri 22:00-06:00 UTC", "2026-11-21T05:00:00Z", true)]
    [InlineData("Fri 22:00-06:00 UTC", "2026-11-22T05:00:00Z", false)]
    [InlineData("* 22:00-06:00", "2026-11-24T23:00:00Z", true)]
    public void Contains_Time_MatchesTheWindow(string window, string time, bool expected) =>
        Assert.Equal(expected, Parse(window).Contains(DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void NextOpening_OutsideTheWindow_IsItsNextStart()
    {
        var next = Parse("Sun 02:00-04:00 UTC").NextOpening(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 11, 22, 2, 0, 0, TimeSpan.Zero), next);
    }

    [Theory]
    [InlineData("Someday 02:00-04:00", "must start with days")]
    [InlineData("Sun 2-4", "must have a time range")]
    [InlineData("Sun 02:00-02:00", "must have a time range")]
    [InlineData("Sun 02:00-04:00 Mars/Olympus", "unknown time zone")]
    [InlineData("Sun", "must be a window")]
    public void TryParse_Malformed_SaysWhy(string text, string expected)
    {
        Assert.False(DeployWindow.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
