using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Http;
using Slipway.Core.Routing;
using Slipway.Proxy.Tests.Support;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.Edge;

/// <summary>
/// Who the client is, over real sockets: what a client says about itself (X-Forwarded-For, Forwarded, X-Real-IP,
/// X-Request-Id) is believed only where it should be, and the real address is what the policies see.
/// </summary>
public sealed class ClientIdentityTests : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, string> _seen = new(StringComparer.OrdinalIgnoreCase);
    private TestBackend _backend = null!;

    public async Task InitializeAsync() =>
        _backend = await TestBackend.StartAsync("echo", context =>
        {
            _seen.Clear();
            foreach (var header in context.Request.Headers)
            {
                _seen[header.Key] = header.Value.ToString();
            }

            return context.Response.WriteAsync("ok");
        });

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    private string Seen(string header) => _seen.GetValueOrDefault(header) ?? "(absent)";

    private Task<ProxyHarness> StartAsync(RoutePolicy? route = null, params string[] trusted) =>
        ProxyHarness.StartAsync(
            Single("echo", null, route, _backend.Endpoint()),
            o => o with { TrustedProxies = [.. trusted.Select(IPNetwork.Parse)] });

    private static HttpRequestMessage Get(params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    [Fact]
    public async Task UntrustedPeer_ItsIdentityHeaders_AreReplacedOrDropped()
    {
        await using var proxy = await StartAsync();
        using var request = Get(
            ("X-Forwarded-For", "203.0.113.9"), ("X-Real-IP", "203.0.113.9"), ("Forwarded", "for=203.0.113.9;proto=https"),
            ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "evil.example"));
        request.Headers.Host = "shop.example";
        using var response = await proxy.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("127.0.0.1", Seen("X-Forwarded-For"));
        Assert.Equal("127.0.0.1", Seen("X-Real-IP"));
        Assert.Equal("(absent)", Seen("Forwarded"));
        Assert.Equal("http", Seen("X-Forwarded-Proto"));
        Assert.Equal("shop.example", Seen("X-Forwarded-Host"));
    }

    [Fact]
    public async Task TrustedPeer_ItsChainNamesTheClient_AndTheSpoofedPartIsCut()
    {
        await using var proxy = await StartAsync(null, "127.0.0.0/8", "10.0.0.0/8");
        using var request = Get(("X-Forwarded-For", "198.51.100.66, 203.0.113.9, 10.1.2.3"), ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "shop.example"));
        using var response = await proxy.Client.SendAsync(request);

        Assert.Equal("203.0.113.9, 10.1.2.3, 127.0.0.1", Seen("X-Forwarded-For"));
        Assert.Equal("203.0.113.9", Seen("X-Real-IP"));
        Assert.Equal("https", Seen("X-Forwarded-Proto"));
        Assert.Equal("shop.example", Seen("X-Forwarded-Host"));
    }

    [Fact]
    public async Task UntrustedPeer_SpoofingAnAllowedAddress_IsStillRefused()
    {
        var route = RoutePolicy.Default with { Allow = [IPNetwork.Parse("10.0.0.0/8")] };
        await using var untrusted = await StartAsync(route, "192.0.2.0/24");
        using var spoofed = Get(("X-Forwarded-For", "10.1.2.3"));
        using var refused = await untrusted.Client.SendAsync(spoofed);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        await using var trusted = await StartAsync(route, "127.0.0.1/32");
        using var forwarded = Get(("X-Forwarded-For", "10.1.2.3"));
        using var allowed = await trusted.Client.SendAsync(forwarded);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task UntrustedPeer_ChangingItsXForwardedFor_DoesNotEscapeItsRateLimit()
    {
        var route = RoutePolicy.Default with { RateLimit = new RateLimitModel(PerSecond: 0.001, Burst: 2) };
        await using var proxy = await StartAsync(route);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var request = Get(("X-Forwarded-For", $"198.51.100.{i}"));
            using var response = await proxy.Client.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Theory]
    [InlineData("abc-123", true)]
    [InlineData("0af7651916cd43dd8448eb211c80319c", true)]
    [InlineData("f47ac10b-58cc-4372-a567-0e02b2c3d479", true)]
    [InlineData("svc:web.42_a", true)]
    [InlineData("<script>alert(1)</script>", false)]
    [InlineData("id with spaces", false)]
    [InlineData("id\u00e9", false)]
    [InlineData("a,b", false)]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789", false)]
    public async Task ClientRequestId_KeptOnlyInTheStrictSet(string id, bool kept)
    {
        await using var proxy = await StartAsync();
        await using var raw = await RawHttp.ConnectAsync(proxy.Port);
        await raw.SendAsync($"GET / HTTP/1.1\r\nHost: h\r\nX-Request-Id: {id}\r\n\r\n");
        var answer = await raw.ReadUntilAsync("ok");

        var returned = answer.Split("\r\n").Single(l => l.StartsWith("X-Request-Id:", StringComparison.OrdinalIgnoreCase))["X-Request-Id:".Length..].Trim();
        Assert.Equal(kept ? id : returned, Seen("X-Request-Id"));
        if (kept)
        {
            Assert.Equal(id, returned);
        }
        else
        {
            Assert.Matches("^[0-9a-f]{24}$", returned);
        }
    }

    [Fact]
    public async Task ClientRequestId_SentTwice_IsReplaced()
    {
        await using var proxy = await StartAsync();
        using var request = Get(("X-Request-Id", "one"), ("X-Request-Id", "two"));
        using var response = await proxy.Client.SendAsync(request);

        Assert.Matches("^[0-9a-f]{24}$", Seen("X-Request-Id"));
    }

    [Fact]
    public async Task IpHash_BehindATrustedProxy_HashesTheRealClient()
    {
        await using var other = await TestBackend.StartNamedAsync("other");
        await using var mine = await TestBackend.StartNamedAsync("mine");
        var table = Table(
            [Route("web#0", "web")],
            Service("web", ServicePolicy.Default with { LoadBalancing = "ip-hash" }, Revision("v1", 100, other.Endpoint(), mine.Endpoint())));
        await using var proxy = await ProxyHarness.StartAsync(table, o => o with { TrustedProxies = [IPNetwork.Parse("127.0.0.1/32")] });

        var landed = new Dictionary<string, HashSet<string>>();
        for (var client = 1; client <= 16; client++)
        {
            for (var i = 0; i < 3; i++)
            {
                using var request = Get(("X-Forwarded-For", $"203.0.113.{client}"));
                using var response = await proxy.Client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                landed.TryAdd(body, []);
                landed[body].Add($"203.0.113.{client}");
            }
        }

        // Each client stays on one backend, and the clients spread over both: the hash is of the client, not of the proxy.
        Assert.Equal(2, landed.Count);
        Assert.Equal(16, landed.Values.Sum(clients => clients.Count));
    }
}
