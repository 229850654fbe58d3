using Slipway.Proxy.Routing;

namespace Slipway.Proxy.Tests.Routing;

public sealed class HostNameTests
{
    [Theory]
    [InlineData("example.com", "example.com")]
    [InlineData("example.com:8080", "example.com")]
    [InlineData("example.com.", "example.com")]
    [InlineData("[::1]:8080", "[::1]")]
    [InlineData("", "")]
    public void Normalize_HostHeader_ReturnsHostPart(string header, string expected) =>
        Assert.Equal(expected, HostName.Normalize(header).ToString());
}
