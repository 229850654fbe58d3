using System.Net;
using Microsoft.AspNetCore.Http;
using Slipway.Core.Routing;
using Slipway.Proxy.Tests.Support;
using Slipway.Testing;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.Forwarding;

/// <summary>maxInFlight per endpoint: a short queue, then 503 with Retry-After.</summary>
public sealed class LoadSheddingTests
{
    private static async Task<(TestBackend Backend, TaskCompletionSource Release, TaskCompletionSource Started)> BlockingAsync()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var backend = await TestBackend.StartAsync("busy", async context =>
        {
            started.TrySetResult();
            await release.Task;
            await context.Response.WriteAsync("done");
        });
        return (backend, release, started);
    }

    [Fact]
    public async Task Request_EndpointFullAndQueueTimesOut_Answers503WithRetryAfter()
    {
        var (backend, release, started) = await BlockingAsync();
        await using var _ = backend;
        var policy = ServicePolicy.Default with { MaxInFlight = 1, QueueTimeout = TimeSpan.FromMilliseconds(100) };
        await using var proxy = await ProxyHarness.StartAsync(Single("api", policy, null, backend.Endpoint()));

        var first = proxy.Client.GetAsync("/");
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        using var shed = await proxy.Client.GetAsync("/");
        release.SetResult();
        using var firstResponse = await first;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, shed.StatusCode);
        Assert.Equal("1", shed.Headers.GetValues("Retry-After").Single());
        Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
        Assert.Equal(1, proxy.Proxy.Counters.Shed);
        Assert.Equal(1, backend.Requests);
    }

    [Fact]
    public async Task Request_EndpointFreesUpWhileQueued_IsServed()
    {
        var (backend, release, started) = await BlockingAsync();
        await using var _ = backend;
        var policy = ServicePolicy.Default with { MaxInFlight = 1, QueueTimeout = TimeSpan.FromSeconds(20) };
        await using var proxy = await ProxyHarness.StartAsync(Single("api", policy, null, backend.Endpoint()));

        var first = proxy.Client.GetAsync("/");
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var queued = proxy.Client.GetAsync("/");
        await Wait.UntilAsync(() => proxy.Proxy.EndpointLoad.InFlight("busy") == 1 && backend.Requests == 1, "the first request to reach the backend", seconds: 10);
        release.SetResult();

        using var firstResponse = await first;
        using var queuedResponse = await queued;
        Assert.Equal(HttpStatusCode.OK, queuedResponse.StatusCode);
        Assert.Equal(0, proxy.Proxy.Counters.Shed);
        Assert.Equal(2, backend.Requests);
    }
}
