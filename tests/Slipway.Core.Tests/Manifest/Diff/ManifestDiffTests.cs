using Slipway.Core.Manifest;
using Slipway.Core.Manifest.Diff;
using Slipway.Core.Manifest.Model;
using Slipway.Testing;

namespace Slipway.Core.Tests.Manifest.Diff;

public sealed class ManifestDiffTests
{
    private static readonly string ShopPath = RepositoryRoot.File("examples", "shop", "slipway.yaml");

    private static AppManifest Shop(Func<string, string>? edit = null)
    {
        var text = File.ReadAllText(ShopPath);
        var edited = edit is null ? text : edit(text);
        Assert.True(edit is null || edited != text, "the edit changed nothing");
        var result = ManifestLoader.LoadText(edited, "shop.yaml", Path.GetDirectoryName(ShopPath));
        Assert.Empty(result.FormattedErrors);
        return result.Manifest!;
    }

    [Fact]
    public void Compare_SameManifest_IsEmpty()
    {
        Assert.True(ManifestDiff.Compare(Shop(), Shop()).IsEmpty);
    }

    [Fact]
    public void Compare_ChangedEnvAndReplicas_NamesEachLeafByItsManifestPath()
    {
        var next = Shop(t => t.Replace("LOG_LEVEL: info", "LOG_LEVEL: debug", StringComparison.Ordinal)
            .Replace("replicas: 3", "replicas: 4", StringComparison.Ordinal));

        var diff = ManifestDiff.Compare(Shop(), next);

        var api = Assert.Single(diff.Services);
        Assert.Equal(("api", ServiceChangeKind.Changed), (api.Name, api.Kind));
        Assert.Equal(
            [new FieldChange("replicas", "3", "4"), new FieldChange("run.env.LOG_LEVEL", "\"info\"", "\"debug\"")],
            api.Fields);
        Assert.Empty(diff.Sections);
    }

    [Fact]
    public void Compare_RouteListItemChanged_NamesTheItem()
    {
        var next = Shop(t => t.Replace("{ path: /api, timeouts: { firstByte: 30s } }", "{ path: /api/v2, timeouts: { firstByte: 30s } }", StringComparison.Ordinal));

        var api = Assert.Single(ManifestDiff.Compare(Shop(), next).Services);

        Assert.Equal([new FieldChange("routes[3].path", "\"/api\"", "\"/api/v2\"")], api.Fields);
    }

    [Fact]
    public void Compare_ServiceAddedAndRemoved_AndAProxySetting()
    {
        var running = Shop();
        var services = running.Services.Where(s => s.Key != "legacy").ToDictionary();
        services["extra"] = running.Services["worker"];
        var next = running with { Services = services, Proxy = running.Proxy with { Listen = ["http://127.0.0.1:9090"] } };

        var diff = ManifestDiff.Compare(running, next);

        Assert.Equal([("extra", ServiceChangeKind.Added), ("legacy", ServiceChangeKind.Removed)], diff.Services.Select(s => (s.Name, s.Kind)));
        Assert.Equal([new FieldChange("proxy.listen[0]", "\"http://127.0.0.1:8080\"", "\"http://127.0.0.1:9090\"")], diff.Sections);
    }
}
