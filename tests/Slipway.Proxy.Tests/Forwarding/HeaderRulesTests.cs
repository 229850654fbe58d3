using Slipway.Proxy.Forwarding;

namespace Slipway.Proxy.Tests.Forwarding;

public sealed class HeaderRulesTests
{
    [Theory]
    [InlineData("Connection", "Upgrade")]
    [InlineData("upgrade", "Upgrade")]
    [InlineData("Keep-Alive", "Drop")]
    [InlineData("transfer-encoding", "Drop")]
    [InlineData("TE", "Drop")]
    [InlineData("Proxy-Connection", "Drop")]
    [InlineData("Proxy-Authorization", "Drop")]
    [InlineData("Host", "Proxy")]
    [InlineData("X-Forwarded-For", "Proxy")]
    [InlineData("X-Forwarded-Proto", "Proxy")]
    [InlineData("X-Forwarded-Host", "Proxy")]
    [InlineData("X-Request-Id", "Proxy")]
    [InlineData("X-Real-IP", "Proxy")]
    [InlineData("Forwarded", "Drop")]
    [InlineData("Accept", "Copy")]
    [InlineData("traceparent", "Copy")]
    [InlineData("Content-Length", "Copy")]
    public void ForRequest_HeaderName_IsClassified(string name, string expected) =>
        Assert.Equal(expected, HeaderRules.ForRequest(name).ToString());

    [Theory]
    [InlineData("Connection", false, true)]
    [InlineData("Connection", true, false)]
    [InlineData("Upgrade", true, false)]
    [InlineData("Transfer-Encoding", false, true)]
    [InlineData("Keep-Alive", true, true)]
    [InlineData("Content-Type", false, false)]
    public void DropFromResponse_HopByHop_IsDropped(string name, bool upgraded, bool expected) =>
        Assert.Equal(expected, HeaderRules.DropFromResponse(name, upgraded));

    [Fact]
    public void ConnectionNames_ListedHeader_IsHopByHop()
    {
        Assert.True(HeaderRules.ConnectionNames("keep-alive, X-Secret", "x-secret"));
        Assert.False(HeaderRules.ConnectionNames("keep-alive", "X-Secret"));
        Assert.True(HeaderRules.NamesOtherHeaders("close, X-Secret"));
        Assert.False(HeaderRules.NamesOtherHeaders("Keep-Alive, Upgrade"));
    }
}
