using Slipway.Control.Routing;
using Slipway.Control.Runtime;
using Slipway.Control.State;
using Slipway.Core.Manifest;
using Slipway.Core.Routing;
using Slipway.Testing;

namespace Slipway.Control.Tests.Routing;

public sealed class TrafficPublisherTests
{
    private static readonly LiveManifest Manifest = new(ManifestLoader.LoadText("""
        app: shop
        services:
          api:
            run: { command: x }
            routes: [ { path: / } ]
        """).Manifest!);

    [Fact]
    public void MarkReady_BeforePublish_NothingPublishedThenOneTableWithEveryMark()
    {
        var tables = new LatestTablePublisher();
        var published = 0;
        tables.Published += _ => published++;
        var traffic = new TrafficPublisher(Manifest, tables, store: null);
        traffic.SetCurrent("api", "1", "1");

        traffic.MarkReady("api-1-0", Endpoint("1", 0));
        traffic.MarkReady("api-1-1", Endpoint("1", 1));
        Assert.Equal(0, published);
        traffic.Publish();

        Assert.Equal(1, published);
        Assert.Equal(["api-1-0", "api-1-1"], tables.Current.Services["api"].Revisions.Single().Endpoints.Select(e => e.Id));
    }

    [Fact]
    public void MarkNotReady_ThenPublish_EndpointLeavesTheTable()
    {
        var tables = new LatestTablePublisher();
        var traffic = new TrafficPublisher(Manifest, tables, store: null);
        traffic.SetCurrent("api", "1", "1");
        traffic.MarkReady("api-1-0", Endpoint("1", 0));
        traffic.MarkReady("api-1-1", Endpoint("1", 1));
        traffic.Publish();

        traffic.MarkNotReady("api-1-0");
        traffic.Publish();

        Assert.Equal(["api-1-1"], tables.Current.Services["api"].Revisions.Single().Endpoints.Select(e => e.Id));
        Assert.True(tables.Current.Generation > 1);
    }

    [Fact]
    public void SetTraffic_NewRevisionWithSplit_OneTableAndTheCurrentRevisionStored()
    {
        using var dir = new TempDirectory();
        using var store = StateStore.Open(dir.Path);
        store.CreateRevision("api", "1", null, "test", null, TestClock.Start);
        store.CreateRevision("api", "2", null, "test", null, TestClock.Start);
        store.MakeCurrent("api", "1");
        var tables = new LatestTablePublisher();
        var published = new List<RoutingTable>();
        tables.Published += published.Add;
        var traffic = new TrafficPublisher(Manifest, tables, store);
        traffic.SetCurrent("api", "1", "1");
        traffic.MarkReady("api-1-0", Endpoint("1", 0));
        traffic.MarkReady("api-2-0", Endpoint("2", 0));

        traffic.SetTraffic("api", "2", "2", new Dictionary<string, int> { ["1"] = 75, ["2"] = 25 });

        var service = Assert.Single(published).Services["api"];
        Assert.Equal([("2", 25), ("1", 75)], service.Revisions.Select(r => (r.Revision, r.Weight)));
        Assert.Equal("2", service.Policy.StableRevision);
        Assert.Equal(("2", "2"), traffic.Current("api"));
        Assert.Equal("2", store.CurrentRevision("api")!.Revision);
    }

    [Fact]
    public void Forget_RemovedService_HasNoCurrentRevision()
    {
        var traffic = new TrafficPublisher(Manifest, new LatestTablePublisher(), store: null);
        traffic.SetCurrent("api", "3", "v3");

        traffic.Forget("api");

        Assert.False(traffic.TryGetCurrent("api", out _));
        Assert.Throws<KeyNotFoundException>(() => traffic.Current("api"));
    }

    private static ReadyEndpoint Endpoint(string revision, int slot) =>
        new("api", revision, new EndpointModel($"api-{revision}-{slot}", "127.0.0.1", 5000 + slot));
}
