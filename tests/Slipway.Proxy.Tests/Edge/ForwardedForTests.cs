using System.Net;
using Microsoft.Extensions.Primitives;
using Slipway.Proxy.Edge;

namespace Slipway.Proxy.Tests.Edge;

public sealed class ForwardedForTests
{
    private static readonly AddressRanges Trusted = new([IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("fd00::/8")]);
    private static readonly IPAddress Peer = IPAddress.Parse("10.0.0.1");

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7", "203.0.113.7, 10.0.0.1")]
    [InlineData("198.51.100.1, 203.0.113.7, 10.0.0.2", "203.0.113.7", "203.0.113.7, 10.0.0.2, 10.0.0.1")]
    [InlineData("10.0.0.3, 10.0.0.2", "10.0.0.3", "10.0.0.3, 10.0.0.2, 10.0.0.1")]
    [InlineData("2001:db8::1, fd00::5", "2001:db8::1", "2001:db8::1, fd00::5, 10.0.0.1")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7", "203.0.113.7, 10.0.0.1")]
    [InlineData("evil, 10.0.0.2", "10.0.0.2", "10.0.0.2, 10.0.0.1")]
    [InlineData("203.0.113.7, unknown", "10.0.0.1", "10.0.0.1")]
    [InlineData(" , 203.0.113.7 ,", "203.0.113.7", "203.0.113.7, 10.0.0.1")]
    public void Resolve_RightToLeft_SkipsTrustedHopsAndStopsAtTheClient(string header, string client, string chain)
    {
        var (resolved, forwarded) = ForwardedFor.Resolve(Peer, "10.0.0.1", new StringValues(header), Trusted);

        Assert.Equal(IPAddress.Parse(client), resolved);
        Assert.Equal(chain, forwarded);
    }

    [Fact]
    public void Resolve_SeveralHeaderLines_ReadAsOneList()
    {
        var (client, chain) = ForwardedFor.Resolve(Peer, "10.0.0.1", new StringValues(["192.0.2.1, 203.0.113.7", "10.0.0.9"]), Trusted);

        Assert.Equal(IPAddress.Parse("203.0.113.7"), client);
        Assert.Equal("203.0.113.7, 10.0.0.9, 10.0.0.1", chain);
    }
}
