using Slipway.Proxy.Edge;

namespace Slipway.Proxy.Tests.Edge;

public sealed class AcceptEncodingTests
{
    private static readonly ContentCoding[] BrFirst = [ContentCoding.Brotli, ContentCoding.Gzip];
    private static readonly ContentCoding[] GzipFirst = [ContentCoding.Gzip, ContentCoding.Brotli];

    [Theory]
    [InlineData("gzip, deflate, br", "Brotli")]
    [InlineData("gzip", "Gzip")]
    [InlineData("br;q=0.5, gzip;q=0.9", "Gzip")]
    [InlineData("br;q=1.0, gzip;q=0.9", "Brotli")]
    [InlineData("BR, GZIP", "Brotli")]
    [InlineData("x-gzip", "Gzip")]
    [InlineData("*", "Brotli")]
    [InlineData("*;q=0.3, gzip;q=0.5", "Gzip")]
    [InlineData("br;q=0, *", "Gzip")]
    [InlineData("gzip;q=0, br;q=0", "None")]
    [InlineData("identity", "None")]
    [InlineData("deflate", "None")]
    [InlineData("", "None")]
    [InlineData("br;q=2", "None")]
    [InlineData("br;q=abc, gzip", "Gzip")]
    [InlineData("gzip ; Q=0.4 , br ; q=0.4", "Brotli")]
    public void Choose_QValuesThenServerOrder(string header, string expected) =>
        Assert.Equal(expected, AcceptEncoding.Choose(header, BrFirst).ToString());

    [Fact]
    public void Choose_EqualQuality_FollowsTheServersOrder() =>
        Assert.Equal(ContentCoding.Gzip, AcceptEncoding.Choose("br, gzip", GzipFirst));

    [Fact]
    public void Choose_OnlyOfferedCodings()
    {
        Assert.Equal(ContentCoding.None, AcceptEncoding.Choose("br", [ContentCoding.Gzip]));
        Assert.Equal(ContentCoding.Gzip, AcceptEncoding.Choose("br;q=1, gzip;q=0.1", [ContentCoding.Gzip]));
    }
}
