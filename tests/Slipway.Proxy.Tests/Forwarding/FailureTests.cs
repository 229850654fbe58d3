using System.Net;
using Microsoft.AspNetCore.Http;
using Slipway.Core.Routing;
using Slipway.Proxy.Tests.Support;
using Slipway.Testing;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.Forwarding;

/// <summary>What clients see when backends fail: retries when safe, short errors otherwise.</summary>
public sealed class FailureTests
{
    private static readonly ServicePolicy RoundRobin = ServicePolicy.Default with { LoadBalancing = "round-robin" };

    private static Task<TestBackend> Aborting(string id) => TestBackend.StartAsync(id, async context =>
    {
        await context.Request.Body.CopyToAsync(Stream.Null);
        context.Abort();
    });

    [Fact]
    public async Task Get_OnlyEndpointRefuses_Answers502WithShortPlainText()
    {
        await using var proxy = await ProxyHarness.StartAsync(Single("api", null, null, Endpoint("dead", ProxyHarness.DeadPort())));

        using var response = await proxy.Client.GetAsync("/");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.StartsWith("502 ", body, StringComparison.Ordinal);
        Assert.True(body.Length < 100);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.True(response.Headers.Contains("X-Request-Id"));
        var sample = Assert.Single(proxy.Sink.Samples);
        Assert.True(sample.ProxyFailure);
        Assert.Equal(502, sample.StatusCode);
    }

    [Fact]
    public async Task Get_OneEndpointDead_EveryRequestSucceedsOnTheOther()
    {
        await using var healthy = await TestBackend.StartNamedAsync("ok");
        await using var proxy = await ProxyHarness.StartAsync(
            Single("api", RoundRobin, null, Endpoint("dead", ProxyHarness.DeadPort()), healthy.Endpoint()));

        for (var i = 0; i < 20; i++)
        {
            using var response = await proxy.Client.GetAsync("/");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.True(proxy.Proxy.Counters.Retries > 0);
        Assert.True(proxy.Proxy.Counters.Ejections > 0);
        Assert.All(proxy.Sink.Samples, s => Assert.Equal("ok", s.EndpointId));
    }

    [Theory]
    [MemberData(nameof(ProxyHarness.Engines), MemberType = typeof(ProxyHarness))]
    public async Task Post_ConnectionRefused_IsRetriedBecauseTheBodyWasNeverSent(string engine)
    {
        await using var healthy = await TestBackend.StartAsync("ok", async context =>
            await context.Response.WriteAsync(await new StreamReader(context.Request.Body).ReadToEndAsync()));
        await using var proxy = await ProxyHarness.StartAsync(
            Single("api", RoundRobin, null, Endpoint("dead", ProxyHarness.DeadPort()), healthy.Endpoint()), engine: engine);

        using var response = await proxy.Client.PostAsync("/orders", new StringContent("order-1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("order-1", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, proxy.Proxy.Counters.Retries);
    }

    /// <remarks>A PUT is idempotent, yet once its body went to a backend it is not sent to another one, on either engine.</remarks>
    [Theory]
    [InlineData("auto", "POST")]
    [InlineData("general", "POST")]
    [InlineData("auto", "PUT")]
    [InlineData("general", "PUT")]
    public async Task BodyRequest_BackendDropsAfterReadingTheBody_IsNotRetried(string engine, string method)
    {
        await using var first = await Aborting("a");
        await using var second = await Aborting("b");
        await using var proxy = await ProxyHarness.StartAsync(Single("api", RoundRobin, null, first.Endpoint(), second.Endpoint()), engine: engine);

        using var request = new HttpRequestMessage(new HttpMethod(method), "/orders") { Content = new StringContent("charge the card once") };
        using var response = await proxy.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(1, first.Requests + second.Requests);
        Assert.Equal(0, proxy.Proxy.Counters.Retries);
    }

    [Fact]
    public async Task Get_BackendDropsBeforeAnswering_IsRetriedOnAnotherEndpoint()
    {
        await using var dropping = await Aborting("drops");
        await using var healthy = await TestBackend.StartNamedAsync("ok");
        await using var proxy = await ProxyHarness.StartAsync(Single("api", RoundRobin, null, dropping.Endpoint(), healthy.Endpoint()));

        using var response = await proxy.Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, dropping.Requests);
        Assert.Equal(1, proxy.Proxy.Counters.Retries);
    }

    [Fact]
    public async Task Get_EveryEndpointDead_RetriesStayWithinTheBudget()
    {
        var policy = RoundRobin with { MaxAttempts = 3 };
        await using var proxy = await ProxyHarness.StartAsync(Single(
            "api", policy, null,
            Endpoint("d1", ProxyHarness.DeadPort()), Endpoint("d2", ProxyHarness.DeadPort()), Endpoint("d3", ProxyHarness.DeadPort())));

        for (var i = 0; i < 50; i++)
        {
            using var response = await proxy.Client.GetAsync("/");
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        }

        // A floor of 3 a second over the 10 s window plus one per five requests (30 + 10): well below
        // the 100 that two retries each would be.
        Assert.InRange(proxy.Proxy.Counters.Retries, 1, 40);
        Assert.True(proxy.Proxy.Counters.RetryBudgetExhausted > 0);
    }

    [Fact]
    public async Task Get_BackendSlowerThanFirstByteTimeout_Answers504AndCancelsTheBackend()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var slow = await TestBackend.StartAsync("slow", async context =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                cancelled.TrySetResult();
            }
        });
        var route = RoutePolicy.Default with { FirstByteTimeout = TimeSpan.FromMilliseconds(300) };
        await using var proxy = await ProxyHarness.StartAsync(Single("api", null, route, slow.Endpoint()));

        using var response = await proxy.Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.StartsWith("504 ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, proxy.Proxy.Counters.Retries);
    }

    /// <remarks>
    /// On the direct transport nobody reads the client while the backend answers but the receive it keeps ahead of the
    /// next read: that is what sees the client leave. The backend's request ends only when the proxy closes that backend
    /// connection, so the connection is not kept for another request either.
    /// </remarks>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ClientAborts_TheBackendRequestIsCancelled(bool direct)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var slow = await TestBackend.StartAsync("slow", async context =>
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                cancelled.TrySetResult();
            }
        });
        await using var proxy = await ProxyHarness.StartAsync(Single("api", null, null, slow.Endpoint()), o => o with { DirectTransport = direct });
        using var abort = new CancellationTokenSource();

        var request = proxy.Client.GetAsync("/", abort.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await abort.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Wait.UntilAsync(() => proxy.Proxy.EndpointLoad.InFlight("slow") == 0, "the aborted request to leave the in-flight count", seconds: 10);
        await Wait.UntilAsync(() => !proxy.Sink.Samples.IsEmpty, "the aborted request to be recorded", seconds: 10);
        Assert.Equal(0, Assert.Single(proxy.Sink.Samples).StatusCode);
        Assert.Equal(1, proxy.Proxy.Counters.FastPath);
    }

    [Fact]
    public async Task Get_NoRouteMatches_Answers404()
    {
        await using var proxy = await ProxyHarness.StartAsync(
            Table([Route("api", "api", path: "/api")], Service("api", null, Revision("v1", 1, Endpoint("e", ProxyHarness.DeadPort())))));

        using var response = await proxy.Client.GetAsync("/elsewhere");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.StartsWith("404 ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, proxy.Proxy.Counters.NoRoute);
    }

    [Fact]
    public async Task Get_ServiceWithNoReadyEndpoint_Answers503()
    {
        await using var proxy = await ProxyHarness.StartAsync(Single("api", null, null));

        using var response = await proxy.Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }
}
