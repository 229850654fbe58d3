using Slipway.Proxy.Tls.Acme;

namespace Slipway.Proxy.Tests.Tls.Acme;

public sealed class AcmeBackoffTests
{
    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(4, 40)]
    [InlineData(10, 1440)]
    [InlineData(40, 1440)]
    public void After_FailuresInARow_DoublesFromFiveMinutesUpToADay(int failures, int minutes) =>
        Assert.Equal(TimeSpan.FromMinutes(minutes), AcmeBackoff.After(failures, retryAfter: null, rateLimited: false));

    [Fact]
    public void After_RetryAfterLongerThanTheBackoff_WaitsAsTheCaAsked() =>
        Assert.Equal(TimeSpan.FromHours(3), AcmeBackoff.After(1, TimeSpan.FromHours(3), rateLimited: true));

    [Fact]
    public void After_RetryAfterShorterThanTheBackoff_KeepsTheBackoff() =>
        Assert.Equal(TimeSpan.FromMinutes(10), AcmeBackoff.After(2, TimeSpan.FromSeconds(30), rateLimited: false));

    [Fact]
    public void After_RateLimitedWithoutRetryAfter_WaitsAnHour() =>
        Assert.Equal(TimeSpan.FromHours(1), AcmeBackoff.After(1, retryAfter: null, rateLimited: true));

    [Fact]
    public void RenewAt_NinetyDayCertificate_SixtyDaysIn()
    {
        var issued = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(issued.AddDays(60), AcmeBackoff.RenewAt(issued, issued.AddDays(90)));
    }

    [Fact]
    public void NextAfterIssued_JustIssued_TwoThirdsIn()
    {
        var issued = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(issued.AddDays(60), AcmeBackoff.NextAfterIssued(issued, issued.AddDays(90), now: issued.AddMinutes(1)));
    }

    [Fact]
    public void NextAfterIssued_DueOnArrival_NotSoonerThanADayLater()
    {
        var issued = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var now = issued.AddDays(70); // the CA's clock far behind ours

        Assert.Equal(now.AddDays(1), AcmeBackoff.NextAfterIssued(issued, issued.AddDays(90), now));
    }

    [Fact]
    public void NextAfterIssued_ShortLivedDueOnArrival_ASixthOfItsLifetimeLater()
    {
        var issued = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var now = issued.AddHours(20);

        Assert.Equal(now.AddHours(4), AcmeBackoff.NextAfterIssued(issued, issued.AddHours(24), now));
    }
}
