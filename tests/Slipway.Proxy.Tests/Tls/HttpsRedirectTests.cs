using System.Net;
using Slipway.Proxy.Tests.Support;

namespace Slipway.Proxy.Tests.Tls;

/// <summary><c>redirectHttp</c>: plain HTTP answered 308 to the HTTPS listener, except ACME challenges and requests already HTTPS.</summary>
public sealed class HttpsRedirectTests
{
    [Fact]
    public async Task Request_OverPlainHttp_308ToTheSameHostPathAndQueryOnTheHttpsPort()
    {
        await using var tls = await TlsHarness.StartAsync(redirect: true);
        using var client = ProxyHarness.CreateClient(new Uri($"http://127.0.0.1:{tls.HttpPort}"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/cart/add?item=7&x=%2F") { Content = new StringContent("body") };
        request.Headers.Host = $"shop.example.com:{tls.HttpPort}";

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
        Assert.Equal($"https://shop.example.com:{tls.HttpsPort}/cart/add?item=7&x=%2F", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Request_AcmeChallengeOverPlainHttp_ForwardedNotRedirected()
    {
        await using var tls = await TlsHarness.StartAsync(redirect: true);
        using var client = ProxyHarness.CreateClient(new Uri($"http://127.0.0.1:{tls.HttpPort}"));

        using var response = await client.GetAsync("/.well-known/acme-challenge/token");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Request_OverHttps_NotRedirected()
    {
        await using var tls = await TlsHarness.StartAsync(redirect: true);
        using var client = tls.HttpsClient(HttpVersion.Version11);

        Assert.Equal("https /cart", await client.GetStringAsync("/cart"));
    }

    [Fact]
    public async Task Request_TrustedProxySaysHttps_NotRedirected()
    {
        await using var tls = await TlsHarness.StartAsync(o => o with { TrustedProxies = [IPNetwork.Parse("127.0.0.1/32")] }, redirect: true);
        using var client = ProxyHarness.CreateClient(new Uri($"http://127.0.0.1:{tls.HttpPort}"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/cart");
        request.Headers.Add("X-Forwarded-Proto", "https");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
