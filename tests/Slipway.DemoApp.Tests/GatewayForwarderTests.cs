using System.Net;

namespace Slipway.DemoApp.Tests;

/// <summary>DEMO_FORWARD: the demo app playing a gateway in front of other instances (the BharathVA example).</summary>
public sealed class GatewayForwarderTests
{
    [Fact]
    public async Task Forward_PrefixTargetNamedByVariable_AnsweredByTheTargetWithItsInstanceNamed()
    {
        await using var auth = await DemoAppProcess.StartListeningAsync(new Dictionary<string, string> { ["DEMO_INSTANCE"] = "auth-1" });
        await using var gateway = await DemoAppProcess.StartListeningAsync(new Dictionary<string, string>
        {
            ["DEMO_INSTANCE"] = "gateway-1",
            ["SLIPWAY_AUTH_URL"] = $"http://127.0.0.1:{auth.Port}",
            ["DEMO_FORWARD"] = "/api/auth=SLIPWAY_AUTH_URL, /echo=SLIPWAY_AUTH_URL",
        });

        using var forwarded = await gateway.Http.GetAsync("/api/auth/login?x=1");
        using var echoed = await gateway.Http.PostAsync("/echo", new StringContent("login"));
        using var own = await gateway.Http.GetAsync("/api/authors");

        Assert.Equal(HttpStatusCode.OK, forwarded.StatusCode);
        Assert.Equal("demo-app version 1 instance auth-1\n", await forwarded.Content.ReadAsStringAsync());
        Assert.Equal("login", await echoed.Content.ReadAsStringAsync());
        Assert.Equal("auth-1", Assert.Single(echoed.Headers.GetValues("X-Demo-Upstream-Instance")));
        Assert.Equal("gateway-1", Assert.Single(forwarded.Headers.GetValues("X-Demo-Instance")));
        Assert.Equal("demo-app version 1 instance gateway-1\n", await own.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Forward_TargetDown_Answers502NamingIt()
    {
        var closed = Slipway.Testing.FreePort.Next();
        await using var gateway = await DemoAppProcess.StartListeningAsync(new Dictionary<string, string> { ["DEMO_FORWARD"] = $"/api/users=http://127.0.0.1:{closed}" });

        using var response = await gateway.Http.GetAsync("/api/users/7");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains($"127.0.0.1:{closed}", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forward_VariableNotSet_ExitsWithTheProblemNamed()
    {
        await using var app = DemoAppProcess.Start(new Dictionary<string, string> { ["PORT"] = "0", ["DEMO_FORWARD"] = "/api/auth=SLIPWAY_NOWHERE_URL" });

        Assert.Equal(2, await app.WaitForExitAsync());
        Assert.Contains("SLIPWAY_NOWHERE_URL (for /api/auth) is not set", app.Output(), StringComparison.Ordinal);
    }
}
