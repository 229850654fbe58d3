using System.Net;
using System.Net.Security;
using Slipway.Proxy.Tests.Support;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.FastPath;

/// <summary>
/// The fast path on an HTTPS listener: installed after TLS, it takes the HTTP/1.1 connections (ALPN http/1.1, or no
/// ALPN at all) and leaves h2 ones to Kestrel; <c>redirectHttp</c>, which answers only plain edge requests, keeps it off
/// the plain edge listeners alone.
/// </summary>
public sealed class FastPathTlsTests
{
    [Fact]
    public async Task Get_OverH2_IsKestrelsAndTheGeneralPathsWithXForwardedProtoHttps()
    {
        await using var backend = RawBackend.StartOk();
        await using var proxy = await ProxyHarness.StartAsync(Single("api", null, null, backend.Endpoint()), transport: "https");
        using var client = ProxyHarness.CreateClient(proxy.Http1, HttpVersion.Version20);

        using var response = await client.GetAsync("/h2");

        Assert.Equal((HttpStatusCode.OK, HttpVersion.Version20), (response.StatusCode, response.Version));
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.Equal((0L, 1L), (proxy.Proxy.Counters.FastPath, proxy.Proxy.Counters.Requests));
        Assert.Contains("\r\nX-Forwarded-Proto: https\r\n", Assert.Single(backend.Requests), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Get_OverTlsWithoutAlpn_IsHttp1AndTakesTheFastPath()
    {
        await using var backend = RawBackend.StartOk();
        await using var proxy = await ProxyHarness.StartAsync(Single("api", null, null, backend.Endpoint()), transport: "https");
        await using var raw = await RawHttp.ConnectTlsAsync(proxy.Port, []);

        await raw.SendAsync("GET /bare HTTP/1.1\r\nHost: h\r\n\r\n");
        var answer = await raw.ReadUntilAsync("\r\n\r\nok");

        Assert.Equal(string.Empty, raw.Alpn);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", answer, StringComparison.Ordinal);
        Assert.Equal(1, proxy.Proxy.Counters.FastPath);
        Assert.Contains("\r\nX-Forwarded-Proto: https\r\n", Assert.Single(backend.Requests), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_AlpnOfferingH2AndHttp1_AgreesOnH2AndLeavesTheFastPathAlone()
    {
        await using var backend = RawBackend.StartOk();
        await using var proxy = await ProxyHarness.StartAsync(Single("api", null, null, backend.Endpoint()), transport: "https");

        await using var raw = await RawHttp.ConnectTlsAsync(proxy.Port, [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11]);
        // An HTTP/1.1 request on a connection that agreed on h2 is not HTTP/2's preface: Kestrel's HTTP/2 refuses it.
        await raw.SendAsync("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        var answer = await raw.ReadUntilAsync("\r\n\r\nok");

        Assert.Equal("h2", raw.Alpn);
        Assert.DoesNotContain("200 OK", answer, StringComparison.Ordinal);
        Assert.Equal(0, proxy.Proxy.Counters.FastPath);
        Assert.Empty(backend.Requests);
    }

    [Fact]
    public async Task RedirectHttp_PlainEdgeRequestsAre308AndHttpsOnesTakeTheFastPath()
    {
        await using var backend = RawBackend.StartOk();
        await using var proxy = await ProxyHarness.StartAsync(
            Single("api", null, null, backend.Endpoint()),
            o => o with { Listen = [.. o.Listen, "http://127.0.0.1:0"], Tls = o.Tls! with { RedirectHttp = true } },
            transport: "https");
        using var plain = ProxyHarness.CreateClient(new Uri($"http://127.0.0.1:{proxy.Proxy.EdgeEndpoints[2].Port}"));

        using var redirected = await plain.GetAsync("/cart?x=1");
        using var forwarded = await proxy.Client.GetAsync("/cart?x=1");

        Assert.Equal(HttpStatusCode.PermanentRedirect, redirected.StatusCode);
        Assert.Equal($"https://127.0.0.1:{proxy.Port}/cart?x=1", redirected.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, forwarded.StatusCode);
        Assert.Equal((1L, 2L), (proxy.Proxy.Counters.FastPath, proxy.Proxy.Counters.Requests));
    }

    [Fact]
    public async Task RedirectHttp_ServiceToServiceListenerTakesTheFastPath()
    {
        await using var backend = RawBackend.StartOk();
        await using var proxy = await ProxyHarness.StartAsync(
            Single("api", null, null, backend.Endpoint()),
            o => o with { InternalServices = new Dictionary<int, string> { [0] = "api" }, Tls = o.Tls! with { RedirectHttp = true } },
            transport: "https");
        using var client = ProxyHarness.CreateClient(new Uri($"http://{proxy.Proxy.InternalEndpoints["api"]}"));

        using var response = await client.GetAsync("/internal");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, proxy.Proxy.Counters.FastPath);
        Assert.Contains("\r\nX-Forwarded-Proto: http\r\n", Assert.Single(backend.Requests), StringComparison.Ordinal);
    }
}
