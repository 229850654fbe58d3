using System.Net;
using Slipway.Proxy.Tests.Support;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.Edge;

/// <summary>Service-to-service listeners reach one service whatever the host or path.</summary>
public sealed class InternalListenerTests
{
    [Fact]
    public async Task InternalPort_ReachesItsServiceWithoutAnyRoute()
    {
        await using var backend = await TestBackend.StartNamedAsync("orders");
        var table = Table([], Service("orders", null, Revision("v1", 1, backend.Endpoint())));
        await using var proxy = await ProxyHarness.StartAsync(table, o => o with { InternalServices = new Dictionary<int, string> { [0] = "orders" } });
        var bound = proxy.Proxy.InternalEndpoints["orders"];
        using var client = ProxyHarness.CreateClient(new Uri($"http://{bound}"));

        using var internalResponse = await client.GetAsync("/any/path");
        using var edgeResponse = await proxy.Client.GetAsync("/any/path");

        Assert.Equal(IPAddress.Loopback, bound.Address);
        Assert.Equal("orders", await internalResponse.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, edgeResponse.StatusCode);
        Assert.Contains(proxy.Sink.Samples, s => s is { Service: "orders", Route: "internal:orders", StatusCode: 200 });
    }

    [Fact]
    public async Task InternalPort_ServiceNotInTable_Answers503NotAnEdgeRoute()
    {
        await using var backend = await TestBackend.StartNamedAsync("web");
        await using var proxy = await ProxyHarness.StartAsync(
            Single("web", null, null, backend.Endpoint()), o => o with { InternalServices = new Dictionary<int, string> { [0] = "orders" } });
        using var client = ProxyHarness.CreateClient(new Uri($"http://{proxy.Proxy.InternalEndpoints["orders"]}"));

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(0, backend.Requests);
    }
}
