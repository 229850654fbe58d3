using System.Net;
using Microsoft.AspNetCore.Http;
using Slipway.Core.Routing;
using Slipway.Proxy.Tests.Support;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.Forwarding;

/// <summary>A failing canary is counted against the canary while users get stable's answer.</summary>
public sealed class CanaryShieldTests
{
    private static RoutingTable Rollout(EndpointModel stable, EndpointModel canary, bool shield = true, int canaryWeight = 100) => Table(
        [Route("api#0", "api")],
        Service("api", ServicePolicy.Default with { StableRevision = "v1", CanaryShield = shield },
            Revision("v1", 100 - canaryWeight, stable),
            Revision("v2", canaryWeight, canary)));

    private static async Task<int> FailedGetsAsync(ProxyHarness proxy, int requests)
    {
        var failed = 0;
        await Parallel.ForAsync(0, requests, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (_, token) =>
        {
            using var response = await proxy.Client.GetAsync("/", token);
            if (response.StatusCode != HttpStatusCode.OK || await response.Content.ReadAsStringAsync(token) != "stable")
            {
                Interlocked.Increment(ref failed);
            }
        });
        return failed;
    }

    private static Task<TestBackend> Failing() => TestBackend.StartAsync("canary", context =>
    {
        context.Response.StatusCode = 500;
        return context.Response.WriteAsync("canary broke");
    });

    [Fact]
    public async Task Get_CanaryAnswers500_ClientGetsStableAndCanaryIsRecordedShielded()
    {
        await using var stable = await TestBackend.StartNamedAsync("stable");
        await using var canary = await Failing();
        await using var proxy = await ProxyHarness.StartAsync(Rollout(stable.Endpoint(), canary.Endpoint()));

        using var response = await proxy.Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("stable", await response.Content.ReadAsStringAsync());
        var samples = proxy.Sink.Samples.ToArray();
        Assert.Contains(samples, s => s is { Revision: "v2", StatusCode: 500, Shielded: true });
        Assert.Contains(samples, s => s is { Revision: "v1", StatusCode: 200, Shielded: false });
        Assert.Equal(1, proxy.Proxy.Counters.Shielded);
    }

    [Fact]
    public async Task Get_CanaryRefusesConnections_ClientGetsStable()
    {
        await using var stable = await TestBackend.StartNamedAsync("stable");
        await using var proxy = await ProxyHarness.StartAsync(Rollout(stable.Endpoint(), Endpoint("canary", ProxyHarness.DeadPort())));

        using var response = await proxy.Client.GetAsync("/");

        Assert.Equal("stable", await response.Content.ReadAsStringAsync());
        Assert.Contains(proxy.Sink.Samples, s => s is { Revision: "v2", Shielded: true, ProxyFailure: true });
    }

    [Fact]
    public async Task Get_CanaryFailingEveryRequestAtHalfTheTraffic_NoGetFails()
    {
        // Far more shielded requests than a retry budget would allow: the shield does not draw on it.
        await using var stable = await TestBackend.StartNamedAsync("stable");
        await using var canary = await Failing();
        await using var proxy = await ProxyHarness.StartAsync(Rollout(stable.Endpoint(), canary.Endpoint(), canaryWeight: 50));

        Assert.Equal(0, await FailedGetsAsync(proxy, 400));
        Assert.True(proxy.Proxy.Counters.Shielded > 100, $"shielded {proxy.Proxy.Counters.Shielded}");
        Assert.Equal(proxy.Proxy.Counters.Shielded, canary.Requests);
    }

    [Fact]
    public async Task Get_CanaryRefusingEveryConnectionAtHalfTheTraffic_NoGetFails()
    {
        await using var stable = await TestBackend.StartNamedAsync("stable");
        await using var proxy = await ProxyHarness.StartAsync(Rollout(stable.Endpoint(), Endpoint("canary", ProxyHarness.DeadPort()), canaryWeight: 50));

        Assert.Equal(0, await FailedGetsAsync(proxy, 400));
        Assert.True(proxy.Proxy.Counters.Shielded > 100, $"shielded {proxy.Proxy.Counters.Shielded}");
    }

    [Fact]
    public async Task Get_CanaryAndStableBothRefuse_OneShieldThenNoFurtherRetry()
    {
        await using var proxy = await ProxyHarness.StartAsync(Rollout(
            Endpoint("stable", ProxyHarness.DeadPort()), Endpoint("canary", ProxyHarness.DeadPort())));

        using var response = await proxy.Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(1, proxy.Proxy.Counters.Shielded);
        Assert.Equal(0, proxy.Proxy.Counters.Retries);
        Assert.Equal(2, proxy.Proxy.Counters.BackendFailures);
    }

    [Fact]
    public async Task Post_CanaryAnswers500_IsNotShielded()
    {
        await using var stable = await TestBackend.StartNamedAsync("stable");
        await using var canary = await Failing();
        await using var proxy = await ProxyHarness.StartAsync(Rollout(stable.Endpoint(), canary.Endpoint()));

        using var response = await proxy.Client.PostAsync("/", new StringContent("x"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(0, stable.Requests);
    }

    [Fact]
    public async Task Get_PinnedToTheCanary_IsNotShielded()
    {
        await using var stable = await TestBackend.StartNamedAsync("stable");
        await using var canary = await Failing();
        await using var proxy = await ProxyHarness.StartAsync(Rollout(stable.Endpoint(), canary.Endpoint()));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Slipway-Revision", "v2");

        using var response = await proxy.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(0, stable.Requests);
    }

    [Fact]
    public async Task Get_ShieldOff_CanaryErrorReachesTheClient()
    {
        await using var stable = await TestBackend.StartNamedAsync("stable");
        await using var canary = await Failing();
        await using var proxy = await ProxyHarness.StartAsync(Rollout(stable.Endpoint(), canary.Endpoint(), shield: false));

        using var response = await proxy.Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("canary broke", await response.Content.ReadAsStringAsync());
    }
}
