using System.Net;
using Slipway.Proxy.Tests.Support;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.FastPath;

/// <summary>
/// A connection the fast path gives up mid-way (a request it does not take) goes on in Kestrel's HTTP layer on every
/// transport: the direct one (the default: its pumped pipes; receiving through the readiness engine or .NET's socket), Kestrel's socket transport, and Kestrel's with inline
/// scheduling (moved to the thread pool first); and the h2c listener beside it is served.
/// </summary>
public sealed class HandOverTests
{
    [Theory]
    [InlineData("direct")]
    [InlineData("direct-socket-receives")]
    [InlineData("kestrel")]
    [InlineData("kestrel-inline")]
    public async Task Proxy_FastPathHandOverAndH2c_AllServed(string transport)
    {
        await using var backend = RawBackend.StartOk();
        await using var proxy = await ProxyHarness.StartAsync(Single("api", null, null, backend.Endpoint()), o => transport switch
        {
            "direct" => o with { DirectTransport = true },
            "direct-socket-receives" => o with { DirectTransport = true, ReadinessReceives = false },
            "kestrel" => o with { DirectTransport = false },
            _ => o with { DirectTransport = false, InlineScheduling = true },
        });
        await using var raw = await RawHttp.ConnectAsync(proxy.Port);

        await raw.SendAsync("GET /one HTTP/1.1\r\nHost: h\r\n\r\n");
        var fast = await raw.ReadUntilAsync("ok");
        // A chunk extension: the fast path hands this request, and the connection, to Kestrel's HTTP layer.
        await raw.SendAsync("POST /two HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;ext\r\nhello\r\n0\r\n\r\n");
        var handedOver = await raw.ReadUntilAsync("ok");
        await raw.SendAsync("GET /three HTTP/1.1\r\nHost: h\r\n\r\n");
        var afterHandOver = await raw.ReadUntilAsync("ok");
        using var h2 = ProxyHarness.CreateClient(proxy.H2c, HttpVersion.Version20);
        using var overH2 = await h2.GetAsync("/four");

        Assert.All([fast, handedOver, afterHandOver], answer => Assert.StartsWith("HTTP/1.1 200 OK\r\n", answer, StringComparison.Ordinal));
        Assert.Equal((HttpStatusCode.OK, "ok"), (overH2.StatusCode, await overH2.Content.ReadAsStringAsync()));
        Assert.Equal(1, proxy.Proxy.Counters.FastPath);
        Assert.Equal(["/one", "/two", "/three", "/four"], backend.Requests.Select(r => r.Split(' ')[1]));
    }
}
