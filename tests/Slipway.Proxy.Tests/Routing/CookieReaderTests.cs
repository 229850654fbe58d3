using Slipway.Proxy.Routing;

namespace Slipway.Proxy.Tests.Routing;

public sealed class CookieReaderTests
{
    [Theory]
    [InlineData("slipway-revision=v2", "v2")]
    [InlineData("a=1; slipway-revision=v2; b=3", "v2")]
    [InlineData("a=1;slipway-revision=\"v2\"", "v2")]
    [InlineData("xslipway-revision=v1; slipway-revision=v2", "v2")]
    public void TryGet_CookiePresent_ReturnsItsValue(string header, string expected)
    {
        Assert.True(CookieReader.TryGet(header, "slipway-revision", out var value));
        Assert.Equal(expected, value.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("a=1; b=2")]
    [InlineData("slipway-revision")]
    public void TryGet_CookieAbsent_ReturnsFalse(string header) =>
        Assert.False(CookieReader.TryGet(header, "slipway-revision", out _));
}
