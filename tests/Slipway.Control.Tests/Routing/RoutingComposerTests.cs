using System.Collections.Immutable;
using Slipway.Control.Maintenance;
using Slipway.Control.Routing;
using Slipway.Control.Runtime;
using Slipway.Core.Manifest;
using Slipway.Core.Routing;

namespace Slipway.Control.Tests.Routing;

public sealed class RoutingComposerTests
{
    private static RoutingComposer Composer() => new(new LiveManifest(ManifestLoader.LoadText("""
        app: shop
        services:
          api:
            run: { command: x }
            loadBalancing: least-requests
            routes:
              - { host: api.shop.test, path: /api, rateLimit: { rate: 10/s, burst: 20 } }
              - { path: /ws, websocket: true, affinity: client-ip }
              - { path: /admin, allow: [198.51.100.0/24], rateLimit: { rate: 5/m, key: "header:X-Api-Key" } }
              - { path: /docs, waf: { mode: block, bodyLimit: 4KB, allow: [ { rule: traversal-dotdot, target: "query:file", path: /docs/a } ] } }
            deny: [203.0.113.0/24]
            health: { readiness: { http: /ready }, liveness: { http: /health }, startup: { http: /health } }
            retries: { attempts: 3, budget: 5% }
          legacy:
            upstream: ["127.0.0.1:9001"]
        """).Manifest!));

    [Fact]
    public void Compose_Routes_NamedByServiceAndIndexWithPolicies()
    {
        var table = Composer().Compose([]);

        Assert.Equal(["api#0", "api#1", "api#2", "api#3"], table.Routes.Select(r => r.Name));
        Assert.Equal("api.shop.test", table.Routes[0].Host);
        Assert.Equal(new RateLimitModel(10, 20), table.Routes[0].Policy.RateLimit);
        Assert.Equal(new RateLimitModel(5 / 60.0, 1, RateLimitKey.Header, "X-Api-Key"), table.Routes[2].Policy.RateLimit);
        Assert.Equal(["198.51.100.0/24"], table.Routes[2].Policy.Allow.Select(n => n.ToString()));
        Assert.True(table.Routes[0].Policy.Allow.IsDefault);
        Assert.Null(table.Routes[0].Policy.Waf);
        Assert.Equal(new WafModel(WafMode.Block, 4096, [new WafAllowModel("traversal-dotdot", "query", "file", "/docs/a")]), table.Routes[3].Policy.Waf);
        Assert.Equal(["203.0.113.0/24"], table.Services["api"].Policy.Deny.Select(n => n.ToString()));
        Assert.True(table.Routes[1].Policy.WebSocket);
        Assert.Equal(AffinityMode.ClientIp, table.Routes[1].Policy.Affinity);
        Assert.Equal("least-requests", table.Services["api"].Policy.LoadBalancing);
        Assert.Equal((3, 0.05), (table.Services["api"].Policy.MaxAttempts, table.Services["api"].Policy.RetryBudget));
        Assert.Equal(0.2, table.Services["legacy"].Policy.RetryBudget);
    }

    [Fact]
    public void Compose_Maintenance_TheServicesOwnElseTheApps_WithItsHealthChecksPassing()
    {
        var composer = Composer();
        var app = new MaintenanceWindow(null, TimeSpan.FromSeconds(30), "app page", MaintenanceWindow.TextType, DateTimeOffset.UnixEpoch, "ops");
        var api = app with { Service = "api", Hold = TimeSpan.Zero, Page = "api page" };
        composer.SetMaintenance(new MaintenanceState(app, ImmutableDictionary<string, MaintenanceWindow>.Empty.Add("api", api)));
        var table = composer.Compose([]);

        var maintenance = table.Services["api"].Policy.Maintenance!;
        Assert.Equal((TimeSpan.Zero, "api page", MaintenanceWindow.TextType), (maintenance.Hold, maintenance.Page, maintenance.PageType));
        Assert.Equal(["/health", "/ready"], maintenance.PassPaths.Order(StringComparer.Ordinal));
        Assert.Equal("app page", table.Services["legacy"].Policy.Maintenance!.Page);

        composer.SetMaintenance(MaintenanceState.None);
        Assert.Null(composer.Compose([]).Services["api"].Policy.Maintenance);
    }

    [Fact]
    public void Compose_SingleRevision_Weight100WithReadyEndpoints()
    {
        var composer = Composer();
        composer.SetCurrentRevision("api", "1");
        var table = composer.Compose([new ReadyEndpoint("api", "1", new EndpointModel("api-1-0", "127.0.0.1", 5000))]);

        var revision = Assert.Single(table.Services["api"].Revisions);
        Assert.Equal(("1", 100), (revision.Revision, revision.Weight));
        Assert.Equal("api-1-0", Assert.Single(revision.Endpoints).Id);
    }

    [Fact]
    public void Compose_EachTable_NextGeneration()
    {
        var composer = Composer();
        var first = composer.Compose([]);
        var second = composer.Compose([]);
        Assert.True(second.Generation > first.Generation);
    }

    [Fact]
    public void SetWeights_TwoRevisions_SplitsTraffic()
    {
        var composer = Composer();
        composer.SetCurrentRevision("api", "1");
        composer.SetWeights("api", new Dictionary<string, int> { ["1"] = 95, ["2"] = 5 });
        var table = composer.Compose([
            new ReadyEndpoint("api", "1", new EndpointModel("api-1-0", "127.0.0.1", 5000)),
            new ReadyEndpoint("api", "2", new EndpointModel("api-2-0", "127.0.0.1", 5001)),
        ]);

        Assert.Equal([("1", 95), ("2", 5)], table.Services["api"].Revisions.Select(r => (r.Revision, r.Weight)));
    }

    [Fact]
    public void Compose_StaticSiteRevisions_CarryTheirRootsAndTakeTheSplit()
    {
        var composer = Composer();
        composer.SetCurrentRevision("api", "1");
        composer.SetWeights("api", new Dictionary<string, int> { ["1"] = 50, ["2"] = 50 });
        var table = composer.Compose([], new Dictionary<(string, string), StaticSiteModel>
        {
            [("api", "1")] = new("/srv/dist/1", true, "index.html"),
            [("api", "2")] = new("/srv/dist/2", true, "index.html"),
        });

        Assert.Equal([("1", 50, "/srv/dist/1"), ("2", 50, "/srv/dist/2")],
            table.Services["api"].Revisions.Select(r => (r.Revision, r.Weight, r.Static?.Root)));
        Assert.All(table.Services["api"].Revisions, r => Assert.Empty(r.Endpoints));
    }

    [Fact]
    public void Compose_Upstream_ListedUnderUpstreamRevision()
    {
        var table = Composer().Compose([new ReadyEndpoint("legacy", RoutingComposer.UpstreamRevision, new EndpointModel("legacy@127.0.0.1:9001", "127.0.0.1", 9001))]);
        var revision = Assert.Single(table.Services["legacy"].Revisions);
        Assert.Equal(RoutingComposer.UpstreamRevision, revision.Revision);
        Assert.Single(revision.Endpoints);
    }

    [Fact]
    public void Compose_CurrentRevision_IsTheShieldsStableRevision()
    {
        var composer = Composer();
        composer.SetCurrentRevision("api", "3");
        composer.SetWeights("api", new Dictionary<string, int> { ["3"] = 75, ["4"] = 25 });

        var table = composer.Compose([]);

        Assert.Equal("3", table.Services["api"].Policy.StableRevision);
        Assert.True(table.Services["api"].Policy.CanaryShield);
        Assert.Null(table.Services["legacy"].Policy.StableRevision);
    }

    [Theory]
    [InlineData("{ strategy: canary, steps: [ {weight: 10, pause: 1m} ] }", "Cookie")]
    [InlineData("{ strategy: canary, sticky: false, steps: [ {weight: 10, pause: 1m} ] }", "None")]
    [InlineData("{ strategy: rolling }", "None")]
    public void Compose_StickyCanary_RoutesWithoutAffinityGetCookieAffinity(string deploy, string expected)
    {
        var composer = new RoutingComposer(new LiveManifest(ManifestLoader.LoadText($$"""
            app: shop
            services:
              api:
                run: { command: x }
                routes: [ { path: / }, { path: /ws, affinity: client-ip } ]
                deploy: {{deploy}}
            """).Manifest!));

        var table = composer.Compose([]);

        Assert.Equal(Enum.Parse<AffinityMode>(expected), table.Routes[0].Policy.Affinity);
        Assert.Equal(AffinityMode.ClientIp, table.Routes[1].Policy.Affinity);
    }

    [Fact]
    public void Compose_PreviewHost_CopiesEachRouteOntoItReachingThePreviewRevisionOnly()
    {
        var composer = new RoutingComposer(new LiveManifest(ManifestLoader.LoadText("""
            app: shop
            services:
              api:
                run: { command: x }
                routes: [ { host: api.shop.test, path: /api }, { path: /ws, websocket: true } ]
                deploy: { strategy: blue-green, previewHost: preview.shop.test }
            """).Manifest!));
        composer.SetCurrentRevision("api", "1");

        var idle = composer.Compose([]);
        composer.SetPreview("api", "2");
        var during = composer.Compose([]);
        composer.SetPreview("api", null);
        var after = composer.Compose([]);

        Assert.Equal(["api#0", "api#1", "api#0-preview", "api#1-preview"], during.Routes.Select(r => r.Name));
        Assert.All(during.Routes.Where(r => r.Policy.Preview), r => Assert.Equal("preview.shop.test", r.Host));
        Assert.Equal(["/api", "/ws"], during.Routes.Where(r => r.Policy.Preview).Select(r => r.PathPrefix));
        Assert.True(during.Routes[3].Policy.WebSocket);
        Assert.Equal("2", during.Services["api"].Policy.PreviewRevision);
        Assert.Null(idle.Services["api"].Policy.PreviewRevision);
        Assert.Null(after.Services["api"].Policy.PreviewRevision);
        Assert.Equal(4, idle.Routes.Length);
    }
}
