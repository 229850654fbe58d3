using Slipway.Testing;

namespace Slipway.Control.Tests.Supervision;

/// <summary>A static site's revisions: no process, its root handed to the routing table once it holds the index.</summary>
public sealed class SupervisorStaticTests
{
    private const string Site = """
        app: t
        services:
          web:
            version: "1"
            static: { root: "dist/${VERSION}", spa: true }
            routes: [ { path: / } ]
        """;

    private static void Build(TempDirectory dir, string version)
    {
        Directory.CreateDirectory(dir.Combine("dist", version));
        File.WriteAllText(dir.Combine("dist", version, "index.html"), "<!doctype html>");
    }

    [Fact]
    public async Task StartAsync_StaticSite_CurrentRevisionServedFromItsRootWithNoInstance()
    {
        await using var f = new SupervisorFixture(Site, beforeLoad: dir => Build(dir, "1"));
        await f.Supervisor.StartAsync();

        var revision = Assert.Single(f.Publisher.Current.Services["web"].Revisions);
        Assert.Equal(f.Directory.Combine("dist", "1"), revision.Static?.Root);
        Assert.True(revision.Static!.Spa);
        Assert.Equal(100, revision.Weight);
        Assert.Empty(revision.Endpoints);
        Assert.Empty(f.Supervisor.Instances());
        Assert.Equal(new Runtime.RevisionState("1", "1", true, 1, 1, 0), Assert.Single(f.Supervisor.Revisions("web")));
    }

    [Fact]
    public async Task StartRevisionAsync_SecondVersion_ServedBesideAtWeight0ThenStopTakesItOut()
    {
        await using var f = new SupervisorFixture(Site, beforeLoad: dir => Build(dir, "1"));
        await f.Supervisor.StartAsync();
        Build(f.Directory, "2");
        var second = f.Store.CreateRevision("web", "2", null, "test", null, DateTimeOffset.UnixEpoch);

        await f.Supervisor.StartRevisionAsync("web", second.Revision, "2", 1);

        Assert.Equal([("1", 100, f.Directory.Combine("dist", "1")), ("2", 0, f.Directory.Combine("dist", "2"))],
            f.Publisher.Current.Services["web"].Revisions.Select(r => (r.Revision, r.Weight, r.Static?.Root)));
        Assert.Equal([("1", 1), ("2", 1)], f.Supervisor.Revisions("web").Select(r => (r.Revision, r.Ready)));

        await f.Supervisor.StopRevisionAsync("web", second.Revision);

        Assert.Equal(["1"], f.Publisher.Current.Services["web"].Revisions.Select(r => r.Revision));
        Assert.Equal(["1"], f.Supervisor.Revisions("web").Select(r => r.Revision));
    }

    [Fact]
    public async Task StartRevisionAsync_RootMissing_NotReadyNotRoutedAndSaysWhy()
    {
        await using var f = new SupervisorFixture(Site, beforeLoad: dir => Build(dir, "1"));
        await f.Supervisor.StartAsync();
        var third = f.Store.CreateRevision("web", "3", null, "test", null, DateTimeOffset.UnixEpoch);

        await f.Supervisor.StartRevisionAsync("web", third.Revision, "3", 1);

        Assert.Equal(0, f.Supervisor.Revisions("web").Single(r => r.Revision == third.Revision).Ready);
        Assert.Equal(["1"], f.Publisher.Current.Services["web"].Revisions.Select(r => r.Revision));
        Assert.Contains(f.Of("not-ready"), e => e.Message.Contains("static.root names a directory that does not exist: " + f.Directory.Combine("dist", "3"), StringComparison.Ordinal));
    }
}
