using Slipway.Testing;

namespace Slipway.Control.Tests.Supervision;

public sealed class SupervisorRevisionsTests
{
    private const string Sleeper = """
        app: t
        services:
          api:
            run: { command: sleep, args: ["300"] }
            replicas: 1
            routes: [ { path: / } ]
            stop: { drainTimeout: 1s, gracePeriod: 2s }
        """;

    [Fact]
    public async Task ScaleAsync_SupervisorStartedAgain_KeepsTheScaledReplicas()
    {
        await using var f = new SupervisorFixture(Sleeper);
        await f.Supervisor.StartAsync();
        await f.Supervisor.ScaleAsync("api", 3);
        await f.Supervisor.StopAsync();

        await using var again = f.Restarted();
        await again.StartAsync();

        Assert.Equal(3, again.Instances().Count);
        Assert.Equal(3, again.Revisions("api").Single().Desired);
    }

    [Fact]
    public async Task RestartAsync_SurgeFirst_ReplacementReadyBeforeOldOneStops()
    {
        await using var f = new SupervisorFixture(Sleeper);
        await f.Supervisor.StartAsync();
        await Wait.UntilAsync(() => f.Endpoints("api").Count == 1, "the instance to be routed");
        var minimum = int.MaxValue;
        f.Publisher.Published += table => minimum = Math.Min(minimum, table.Services["api"].Revisions.Sum(r => r.Endpoints.Length));

        var notReady = await f.Supervisor.RestartAsync("api");

        Assert.Empty(notReady);
        Assert.Equal(1, minimum);
        Assert.Equal("api-1-1", Assert.Single(f.Supervisor.Instances()).Id);
        var events = f.Events.Where(e => e.Instance is not null).Select(e => (e.Instance, e.Kind)).ToList();
        Assert.True(events.IndexOf(("api-1-1", "ready")) < events.IndexOf(("api-1-0", "stopping")), string.Join(", ", events));
    }

    [Fact]
    public async Task StartRevisionAsync_SecondRevision_RunsBesideCurrentAndSetTrafficSwitchesInOneTable()
    {
        await using var f = new SupervisorFixture(Sleeper);
        await f.Supervisor.StartAsync();
        var revision = f.Store.CreateRevision("api", "2", null, "test", null, DateTimeOffset.UnixEpoch);

        await f.Supervisor.StartRevisionAsync("api", revision.Revision, "2", 2);
        await Wait.UntilAsync(() => f.Endpoints("api").Count == 3, "both revisions to be routed");
        Assert.Equal(["1", "2"], f.Supervisor.Revisions("api").Select(r => r.Revision));
        Assert.Equal(100, f.Publisher.Current.Services["api"].Revisions.Single(r => r.Revision == "1").Weight);
        Assert.Equal(0, f.Publisher.Current.Services["api"].Revisions.Single(r => r.Revision == "2").Weight);

        f.Traffic.SetTraffic("api", "2", "2", null);

        var service = f.Publisher.Current.Services["api"];
        Assert.Equal(("2", 100), (service.Revisions[0].Revision, service.Revisions[0].Weight));
        Assert.Equal("2", service.Policy.StableRevision);
        Assert.Equal("2", f.Store.CurrentRevision("api")!.Revision);

        await f.Supervisor.StopRevisionAsync("api", "1");
        Assert.All(f.Supervisor.Instances(), i => Assert.Equal("2", i.Revision));
        Assert.DoesNotContain("1", f.Store.DesiredReplicas("api").Keys);
    }
}
