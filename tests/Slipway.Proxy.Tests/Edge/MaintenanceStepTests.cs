using Microsoft.Extensions.Time.Testing;
using System.Net;
using Slipway.Core.Routing;
using Slipway.Proxy.Edge;
using Slipway.Proxy.Tests.Support;
using Slipway.Testing;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.Edge;

/// <summary>A service in maintenance, as the proxy sees it: held requests, the page, what passes.</summary>
public sealed class MaintenanceStepTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = TestClock.Create();
    private TestBackend _backend = null!;
    private ProxyHarness _proxy = null!;

    public async Task InitializeAsync()
    {
        _backend = await TestBackend.StartNamedAsync("web");
        _proxy = await ProxyHarness.StartAsync(TableWith(null), o => o with { TimeProvider = _time });
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _backend.DisposeAsync();
    }

    private RoutingTable TableWith(MaintenanceModel? maintenance) =>
        Table([Route("web#0", "web")], Service("web", ServicePolicy.Default with { Maintenance = maintenance }, Revision("v1", 100, _backend.Endpoint())));

    private static MaintenanceModel Maintenance(TimeSpan hold) =>
        new(hold, "<h1>Back soon</h1>", "text/html; charset=utf-8", ["/health"]);

    private MaintenanceGate Gate => ((Slipway.Proxy.Routing.RoutingTablePublisher)_proxy.Proxy.Publisher).Current.Services["web"].Runtime.Maintenance;

    [Fact]
    public async Task NoHold_AnsweredAtOnceWithThePageAndRetryAfter()
    {
        _proxy.Proxy.Publisher.Publish(TableWith(Maintenance(TimeSpan.Zero)));
        using var response = await _proxy.Client.GetAsync("/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("<h1>Back soon</h1>", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(TimeSpan.FromSeconds(MaintenanceStep.RetryAfterSeconds), response.Headers.RetryAfter!.Delta);
        Assert.Equal(0, _backend.Requests);
        Assert.Contains(_proxy.Sink.Samples, s => s is { StatusCode: 503, Refusal: EdgeRefusal.Maintenance, ProxyFailure: false });
    }

    [Fact]
    public async Task Held_ThenLifted_TheRequestGoesThroughUnseen()
    {
        _proxy.Proxy.Publisher.Publish(TableWith(Maintenance(TimeSpan.FromSeconds(30))));
        var pending = _proxy.Client.GetAsync("/");
        await Wait.UntilAsync(() => Gate.Held == 1, "the request to be held", seconds: 10);

        _time.Advance(TimeSpan.FromSeconds(29));
        _proxy.Proxy.Publisher.Publish(TableWith(null));
        using var response = await pending;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("web", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Held_PastTheHold_GetsThePage()
    {
        _proxy.Proxy.Publisher.Publish(TableWith(Maintenance(TimeSpan.FromSeconds(30))));
        var pending = _proxy.Client.GetAsync("/");
        await Wait.UntilAsync(() => Gate.Held == 1, "the request to be held", seconds: 10);

        _time.Advance(TimeSpan.FromSeconds(30));
        using var response = await pending;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("<h1>Back soon</h1>", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, _backend.Requests);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/.well-known/acme-challenge/token-123")]
    public async Task HealthChecksAndAcmeChallenges_Pass(string path)
    {
        _proxy.Proxy.Publisher.Publish(TableWith(Maintenance(TimeSpan.FromSeconds(30))));
        using var response = await _proxy.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, Gate.Held);
    }

    [Fact]
    public async Task ServiceToServiceListener_AlsoInMaintenance()
    {
        await using var proxy = await ProxyHarness.StartAsync(TableWith(Maintenance(TimeSpan.Zero)), o => o with { InternalServices = new Dictionary<int, string> { [0] = "web" } });
        using var client = ProxyHarness.CreateClient(new Uri($"http://{proxy.Proxy.InternalEndpoints["web"]}"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/")).StatusCode);
    }
}
