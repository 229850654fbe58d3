using System.Net;
using Slipway.Core.Routing;
using Slipway.Proxy.Tests.Support;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.Edge;

/// <summary>Allow and deny lists of routes and services, IPv4 and IPv6, over real sockets.</summary>
public sealed class AccessListTests : IAsyncLifetime
{
    private TestBackend _backend = null!;

    public async Task InitializeAsync() => _backend = await TestBackend.StartNamedAsync("admin");

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    private Task<ProxyHarness> StartAsync(RoutePolicy route, ServicePolicy? service = null, string listen = "http://127.0.0.1:0") =>
        ProxyHarness.StartAsync(
            Table(
                [Route("admin#0", "admin", path: "/admin", policy: route), Route("admin#1", "admin", path: "/")],
                Service("admin", service, Revision("v1", 100, _backend.Endpoint()))),
            o => o with { Listen = [listen, "h2c://127.0.0.1:0"], TrustedProxies = [IPNetwork.Parse("127.0.0.1/32")] });

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(ProxyHarness proxy, string path, string? client = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (client is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", client);
        }

        using var response = await proxy.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RouteAllowList_OnlyTheOfficeRangeReachesAdmin()
    {
        await using var proxy = await StartAsync(RoutePolicy.Default with { Allow = [IPNetwork.Parse("198.51.100.0/24"), IPNetwork.Parse("2001:db8:1::/48")] });

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(proxy, "/admin", "198.51.100.20")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(proxy, "/admin/users", "2001:db8:1::7")).Status);
        var refused = await GetAsync(proxy, "/admin", "203.0.113.5");
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.StartsWith("403 forbidden", refused.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(proxy, "/admin", "2001:db8:2::7")).Status);

        // The list is the route's: the rest of the service stays open.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(proxy, "/", "203.0.113.5")).Status);
    }

    [Fact]
    public async Task Refused_IsNeverForwarded_AndCounted()
    {
        await using var proxy = await StartAsync(RoutePolicy.Default with { Deny = [IPNetwork.Parse("203.0.113.0/24")] });
        var before = _backend.Requests;

        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(proxy, "/admin", "203.0.113.5")).Status);

        Assert.Equal(before, _backend.Requests);
        Assert.Equal(1, proxy.Proxy.Counters.EdgeRefusals);
        Assert.Contains(proxy.Sink.Samples, s => s is { StatusCode: 403, Refusal: EdgeRefusal.Forbidden, Service: "admin", Route: "admin#0" });
    }

    [Fact]
    public async Task ServiceDenyList_AppliesToEveryRoute_AndDenyWinsOverAllow()
    {
        var service = ServicePolicy.Default with { Deny = [IPNetwork.Parse("203.0.113.128/25")] };
        await using var proxy = await StartAsync(RoutePolicy.Default with { Allow = [IPNetwork.Parse("203.0.113.0/24")] }, service);

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(proxy, "/admin", "203.0.113.5")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(proxy, "/admin", "203.0.113.200")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(proxy, "/", "203.0.113.200")).Status);
    }

    [Fact]
    public async Task ServiceAndRouteAllowLists_BothMustAllow()
    {
        var service = ServicePolicy.Default with { Allow = [IPNetwork.Parse("10.0.0.0/8")] };
        await using var proxy = await StartAsync(RoutePolicy.Default with { Allow = [IPNetwork.Parse("10.1.0.0/16")] }, service);

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(proxy, "/admin", "10.1.2.3")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(proxy, "/admin", "10.2.2.3")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(proxy, "/", "10.2.2.3")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(proxy, "/", "192.0.2.1")).Status);
    }

    [Fact]
    public async Task Ipv6Peer_MatchedByAnIpv6Range()
    {
        await using var proxy = await StartAsync(RoutePolicy.Default with { Deny = [IPNetwork.Parse("::1/128")] }, listen: "http://[::1]:0");
        using var client = ProxyHarness.CreateClient(new Uri($"http://[::1]:{proxy.Proxy.EdgeEndpoints[0].Port}"));

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/admin")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
    }
}
