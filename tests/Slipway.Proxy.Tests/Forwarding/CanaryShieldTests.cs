using System.Net;
using Microsoft.AspNetCore.Http;
using Slipway.Core.Routing;
using Slipway.Proxy.Tests.Support;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.Forwarding;

/// <summary>A failing canary is counted against the canary while users get stable's answer.</summary>
public sealed class CanaryShieldTests
{
    private static RoutingTable Rollout(EndpointModel stable, EndpointModel canary, bool shield = true) => Table(
        [Route("api#0", "api")],
        Service("api", ServicePolicy.Default with { StableRevision = "v1", CanaryShield = shield },
            Revision("v1", 0, stable),
            Revision("v2", 100, canary)));

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
