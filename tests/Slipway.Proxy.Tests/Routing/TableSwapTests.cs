using System.Net;
using Slipway.Core.Routing;
using Slipway.Proxy.Tests.Support;
using Slipway.Testing;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.Routing;

/// <summary>Publishing tables under load: a pointer swap, never a failed request.</summary>
public sealed class TableSwapTests
{
    [Fact]
    public async Task Publish_AThousandSwapsUnderConcurrentRequests_NoRequestFails()
    {
        await using var blue = await TestBackend.StartNamedAsync("blue");
        await using var green = await TestBackend.StartNamedAsync("green");
        RoutingTable Version(int n) => Table(
            [Route("api", "api", path: "/")],
            Service("api", null,
                Revision("blue", n % 2 == 0 ? 100 : 0, blue.Endpoint()),
                Revision("green", n % 2 == 0 ? 0 : 100, green.Endpoint())));
        await using var proxy = await ProxyHarness.StartAsync(Version(0));

        using var stop = new CancellationTokenSource();
        var failures = 0;
        var served = 0;
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await proxy.Client.GetAsync("/");
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref failures);
                }

                seen.AddOrUpdate(body, 1, (_, c) => c + 1);
                Interlocked.Increment(ref served);
            }
        })).ToArray();

        for (var i = 1; i <= 1000; i++)
        {
            proxy.Proxy.Publisher.Publish(Version(i));
            if (i % 50 == 0)
            {
                await Task.Yield();
            }
        }

        // Keep the load on until both revisions have been served (bounded), then stop.
        await Wait.ForAsync(() => seen.Count == 2 && Volatile.Read(ref served) > 200, seconds: 10);
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        Assert.Equal(0, failures);
        Assert.True(served > 0);
        // A request's endpoint is released after its response's last byte went out, so a client may have read its
        // answer a moment before: every count comes back to zero, it need not be zero at that instant.
        await Wait.UntilAsync(() => proxy.Proxy.EndpointLoad.InFlight("blue") + proxy.Proxy.EndpointLoad.InFlight("green") == 0,
            "the in-flight counts to come back to zero", seconds: 10,
            () => $"blue {proxy.Proxy.EndpointLoad.InFlight("blue")}, green {proxy.Proxy.EndpointLoad.InFlight("green")}");
    }

    [Fact]
    public async Task Publish_WhileARequestIsInFlight_ThatRequestFinishesOnItsOldEndpoint()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var old = await TestBackend.StartAsync("old", async context =>
        {
            started.TrySetResult();
            await release.Task;
            await Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(context.Response, "old");
        });
        await using var next = await TestBackend.StartNamedAsync("new");
        await using var proxy = await ProxyHarness.StartAsync(Single("api", null, null, old.Endpoint()));

        var slow = proxy.Client.GetStringAsync("/");
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, proxy.Proxy.EndpointLoad.InFlight("old"));

        // The supervisor takes "old" out of the table to drain it.
        proxy.Proxy.Publisher.Publish(Single("api", null, null, next.Endpoint()));
        Assert.Equal("new", await proxy.Client.GetStringAsync("/"));
        Assert.Equal(1, proxy.Proxy.EndpointLoad.InFlight("old"));

        release.SetResult();
        Assert.Equal("old", await slow);
        await Wait.UntilAsync(() => proxy.Proxy.EndpointLoad.InFlight("old") == 0, "no request in flight on the old endpoint", seconds: 10);
        Assert.Equal(1, old.Requests);
    }
}
