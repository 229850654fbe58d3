using System.Net;
using Slipway.Proxy.Tests.Support;
using Slipway.Proxy.Tls.Acme;

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
    public async Task Request_AcmeTokenTheEdgeWaitsOn_AnsweredWithTheKeyAuthorizationOverPlainHttpOnly()
    {
        var challenges = new AcmeChallenges();
        challenges.Add("tok", "tok.thumb");
        await using var tls = await TlsHarness.StartAsync(o => o with { Tls = o.Tls! with { Challenges = challenges } }, redirect: true);
        using var plain = ProxyHarness.CreateClient(new Uri($"http://127.0.0.1:{tls.HttpPort}"));
        using var https = tls.HttpsClient(HttpVersion.Version11);

        Assert.Equal("tok.thumb", await plain.GetStringAsync("/.well-known/acme-challenge/tok"));
        Assert.Equal("http /.well-known/acme-challenge/other", await plain.GetStringAsync("/.well-known/acme-challenge/other"));
        Assert.Equal("https /.well-known/acme-challenge/tok", await https.GetStringAsync("/.well-known/acme-challenge/tok"));
        challenges.Remove("tok");
        Assert.Equal("http /.well-known/acme-challenge/tok", await plain.GetStringAsync("/.well-known/acme-challenge/tok"));
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
