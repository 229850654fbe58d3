using Microsoft.Extensions.Time.Testing;
using System.Collections.Immutable;
using System.Net;
using Slipway.Core.Routing;
using Slipway.Proxy.Edge;
using Slipway.Testing;
using Slipway.Proxy.Tests.Support;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.Edge;

/// <summary>The steps a route compiles to, their order, and what a passing request costs.</summary>
public sealed class EdgePipelineTests
{
    private static readonly IPAddress Office = IPAddress.Parse("198.51.100.7");
    private static readonly NoHeaders Headers = new();
    private readonly FakeTimeProvider _time = TestClock.Create();

    private sealed class NoHeaders : IEdgeHeaders
    {
        public string? First(string name) => null;
    }

    private EdgePipeline Compile(RoutePolicy route, ServicePolicy? service = null) =>
        Tables.Compile(Table([Route("api#0", "api", policy: route)], Service("api", service, Revision("v1", 100, Endpoint("e1")))), time: _time).Match(null, "/", "GET", new Microsoft.AspNetCore.Http.HeaderDictionary())!.Edge;

    private EdgeVerdict Check(EdgePipeline pipeline, IPAddress client, string path = "/") =>
        pipeline.Check(new EdgeRequest(client, path, Headers, _time.GetTimestamp()));

    [Fact]
    public void NoPolicies_NoSteps()
    {
        Assert.True(Compile(RoutePolicy.Default).IsEmpty);
    }

    [Fact]
    public void Steps_InTheDocumentedOrder()
    {
        var maintenance = new MaintenanceModel(TimeSpan.Zero, "down", "text/plain", []);
        var pipeline = Compile(
            RoutePolicy.Default with
            {
                Deny = [IPNetwork.Parse("203.0.113.0/24")],
                RateLimit = new RateLimitModel(1, 1),
                Waf = new WafModel(WafMode.Block, 0, ImmutableArray<WafAllowModel>.Empty),
            },
            ServicePolicy.Default with { Maintenance = maintenance });

        Assert.Equal([typeof(AccessListStep), typeof(MaintenanceStep), typeof(WafStep), typeof(RateLimitStep)], pipeline.Steps.Select(s => s.GetType()));
        Assert.IsType<WafStep>(pipeline.Waf);
    }

    [Fact]
    public void ADeniedOrHeldRequest_TakesNoToken()
    {
        var route = RoutePolicy.Default with { Deny = [IPNetwork.Parse("203.0.113.0/24")], RateLimit = new RateLimitModel(PerSecond: 0.001, Burst: 1) };
        var pipeline = Compile(route with { RateLimit = route.RateLimit with { Key = RateLimitKey.Route } });

        Assert.Equal(EdgeAction.Refuse, Check(pipeline, IPAddress.Parse("203.0.113.9")).Action);
        Assert.Equal(EdgeAction.Continue, Check(pipeline, Office).Action);
        Assert.Equal(EdgeAction.Refuse, Check(pipeline, Office).Action);
    }

    [Fact]
    public void APassingRequest_AllocatesNothing()
    {
        var pipeline = Compile(RoutePolicy.Default with
        {
            Allow = [IPNetwork.Parse("198.51.100.0/24"), IPNetwork.Parse("2001:db8::/32")],
            Deny = [IPNetwork.Parse("198.51.100.200/32")],
            RateLimit = new RateLimitModel(PerSecond: 1_000_000, Burst: 1_000_000),
        });
        Check(pipeline, Office);

        Assert.Equal(0, Allocations.Fewest(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                if (Check(pipeline, Office).Action != EdgeAction.Continue)
                {
                    Assert.Fail("refused");
                }
            }
        }));
    }

    [Fact]
    public void Maintenance_HoldOnlyWithAHold_AndPassPathsPass()
    {
        var held = Compile(RoutePolicy.Default, ServicePolicy.Default with { Maintenance = new MaintenanceModel(TimeSpan.FromSeconds(5), "down", "text/plain", ["/ready"]) });
        var now = Compile(RoutePolicy.Default, ServicePolicy.Default with { Maintenance = new MaintenanceModel(TimeSpan.Zero, "down", "text/plain", ImmutableArray<string>.Empty) });

        Assert.Equal(EdgeAction.Hold, Check(held, Office).Action);
        Assert.Equal(EdgeAction.Continue, Check(held, Office, "/ready").Action);
        Assert.Equal(EdgeAction.Hold, Check(held, Office, "/ready/x").Action);
        Assert.Equal(EdgeAction.Continue, Check(held, Office, "/.well-known/acme-challenge/t").Action);
        var refused = Check(now, Office);
        Assert.Equal((EdgeAction.Refuse, 503, EdgeRefusal.Maintenance, 30), (refused.Action, refused.Answer!.Status, refused.Answer.Reason, refused.RetryAfterSeconds));
    }
}
