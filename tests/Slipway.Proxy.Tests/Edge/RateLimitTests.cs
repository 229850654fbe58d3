using System.Net;
using System.Net.Sockets;
using System.Text;
using Slipway.Core.Routing;
using Slipway.Proxy.Edge;
using Slipway.Proxy.Routing;
using Slipway.Proxy.Tests.Support;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.Edge;

/// <summary>Rate limits over real sockets: refusals and their headers, the three kinds of key, a flood of distinct clients.</summary>
[Collection(RunsAlone.Name)]
public sealed class RateLimitTests : IAsyncLifetime
{
    private TestBackend _backend = null!;

    public async Task InitializeAsync() => _backend = await TestBackend.StartNamedAsync("api");

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    /// <summary>A limit so slow that no token comes back during a test: exactly `burst` requests pass.</summary>
    private static RateLimitModel Limit(int burst, RateLimitKey key = RateLimitKey.ClientIp, string? header = null) =>
        new(PerSecond: 0.01, burst, key, header);

    private Task<ProxyHarness> StartAsync(RateLimitModel limit) =>
        ProxyHarness.StartAsync(
            Table(
                [Route("api#0", "api", path: "/login", policy: RoutePolicy.Default with { RateLimit = limit }), Route("api#1", "api", path: "/")],
                Service("api", null, Revision("v1", 100, _backend.Endpoint()))),
            o => o with { TrustedProxies = [IPNetwork.Parse("127.0.0.1/32")] });

    private static async Task<HttpResponseMessage> GetAsync(ProxyHarness proxy, string path, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await proxy.Client.SendAsync(request);
    }

    [Fact]
    public async Task OverTheBurst_429WithRetryAfterAndRateLimitFields_NotForwarded()
    {
        await using var proxy = await StartAsync(Limit(burst: 3));
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await GetAsync(proxy, "/login");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        var forwarded = _backend.Requests;
        using var refused = await GetAsync(proxy, "/login");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(forwarded, _backend.Requests);
        Assert.Equal(TimeSpan.FromSeconds(100), refused.Headers.RetryAfter!.Delta);
        Assert.Equal("\"api#0\";q=3;w=300", refused.Headers.GetValues("RateLimit-Policy").Single());
        Assert.Equal("\"api#0\";r=0;t=100", refused.Headers.GetValues("RateLimit").Single());
        Assert.StartsWith("429 too many requests", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(proxy.Sink.Samples, s => s is { StatusCode: 429, Refusal: EdgeRefusal.RateLimited, Service: "api", Route: "api#0" });

        // Only the limited route is limited.
        using var other = await GetAsync(proxy, "/");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task ClientIpKey_EachClientHasItsOwnBucket()
    {
        await using var proxy = await StartAsync(Limit(burst: 1));

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(proxy, "/login", ("X-Forwarded-For", "203.0.113.1"))).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await GetAsync(proxy, "/login", ("X-Forwarded-For", "203.0.113.1"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(proxy, "/login", ("X-Forwarded-For", "203.0.113.2"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(proxy, "/login", ("X-Forwarded-For", "2001:db8::2"))).StatusCode);
    }

    [Fact]
    public async Task HeaderKey_OneBucketPerValue_AndTheAddressWithoutTheHeader()
    {
        await using var proxy = await StartAsync(Limit(burst: 1, RateLimitKey.Header, "X-Api-Key"));

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(proxy, "/login", ("X-Api-Key", "alpha"))).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await GetAsync(proxy, "/login", ("X-Api-Key", "alpha"), ("X-Forwarded-For", "203.0.113.9"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(proxy, "/login", ("X-Api-Key", "beta"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(proxy, "/login")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await GetAsync(proxy, "/login")).StatusCode);
    }

    [Fact]
    public async Task RouteKey_OneBucketForEveryone()
    {
        await using var proxy = await StartAsync(Limit(burst: 2, RateLimitKey.Route));

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(proxy, "/login", ("X-Forwarded-For", "203.0.113.1"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(proxy, "/login", ("X-Forwarded-For", "203.0.113.2"))).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await GetAsync(proxy, "/login", ("X-Forwarded-For", "203.0.113.3"))).StatusCode);
    }

    [Fact]
    public async Task Buckets_SurviveANewRoutingTable()
    {
        var limit = Limit(burst: 1);
        await using var proxy = await StartAsync(limit);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(proxy, "/login")).StatusCode);

        // Readiness changes publish a new table every few seconds; that must not hand out fresh tokens.
        proxy.Proxy.Publisher.Publish(Table(
            [Route("api#0", "api", path: "/login", policy: RoutePolicy.Default with { RateLimit = limit })],
            Service("api", null, Revision("v1", 100, _backend.Endpoint()))));

        Assert.Equal(HttpStatusCode.TooManyRequests, (await GetAsync(proxy, "/login")).StatusCode);
    }

    [Fact]
    public async Task AFloodOf100000DistinctClients_StaysInTheFixedTable_AndADrainedClientStaysLimited()
    {
        // The brute-forcer drains its bucket of 5; each flooding address then takes 1 of its own 5.
        await using var proxy = await StartAsync(Limit(burst: 5));
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(proxy, "/login", ("X-Forwarded-For", "192.0.2.1"))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await GetAsync(proxy, "/login", ("X-Forwarded-For", "192.0.2.1"))).StatusCode);
        var limiter = ((RoutingTablePublisher)proxy.Proxy.Publisher).Current.Match(null, "/login", "GET", new Microsoft.AspNetCore.Http.HeaderDictionary())!
            .Edge.Steps.OfType<RateLimitStep>().Single().Limiter;

        // 100,000 requests, each from its own address (10.x.y.z behind the trusted proxy), pipelined on 8 connections.
        const int Connections = 8;
        const int PerConnection = 12_500;
        var ok = await Task.WhenAll(Enumerable.Range(0, Connections).Select(c => FloodAsync(proxy.Port, c, PerConnection)));

        Assert.Equal(Connections * PerConnection, ok.Sum());
        Assert.Equal(RateLimiter.Capacity, limiter.SlotCount);
        Assert.InRange(limiter.Active(TimeProvider.System.GetTimestamp()), 1, RateLimiter.Capacity);
        Assert.True(limiter.Evictions > 0, "100,000 keys in 65,536 slots must have evicted some");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await GetAsync(proxy, "/login", ("X-Forwarded-For", "192.0.2.1"))).StatusCode);
    }

    private static int Count(StringBuilder text, string marker)
    {
        var all = text.ToString();
        var count = 0;
        for (var at = all.IndexOf(marker, StringComparison.Ordinal); at >= 0; at = all.IndexOf(marker, at + marker.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>Sends `count` GETs with distinct X-Forwarded-For addresses in batches, and counts the 200s that come back.</summary>
    private static async Task<int> FloodAsync(int port, int connection, int count)
    {
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ok = 0;
        var buffer = new byte[64 * 1024];
        var pending = new StringBuilder();
        const int Batch = 100;
        for (var sent = 0; sent < count; sent += Batch)
        {
            var requests = new StringBuilder();
            for (var i = sent; i < sent + Batch; i++)
            {
                var n = (connection * count) + i;
                requests.Append($"GET /login HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}\r\n\r\n");
            }

            await stream.WriteAsync(Encoding.ASCII.GetBytes(requests.ToString()), timeout.Token);
            pending.Clear();
            while (Count(pending, "HTTP/1.1 ") < Batch)
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                Assert.True(read > 0, "the proxy closed the connection");
                pending.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            ok += Count(pending, "HTTP/1.1 200 ");
        }

        return ok;
    }
}
