using Slipway.Control.Apply;
using Slipway.Core.Manifest;
using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Tests.Apply;

public sealed class ApplyPlannerTests
{
    private const string Base = """
        app: shop
        proxy: { listen: ["http://127.0.0.1:8080"] }
        services:
          api:
            version: "3"
            run: { command: "true", env: { LOG_LEVEL: info } }
            replicas: 2
            routes: [ { path: /api } ]
            deploy: { strategy: canary, steps: [ { weight: 20, pause: 1m } ] }
          legacy:
            upstream: ["127.0.0.1:9001"]
            routes: [ { path: /old } ]
        """;

    private static AppManifest Load(string yaml)
    {
        var result = ManifestLoader.LoadText(yaml.ReplaceLineEndings("\n"), "app.yaml", Path.GetTempPath());
        Assert.True(result.IsValid, string.Join("\n", result.FormattedErrors));
        return result.Manifest!;
    }

    private static ApplyPlan Plan(Func<string, string> edit) => ApplyPlanner.Plan(Load(Base), Load(edit(Base)));

    private static string R(string text, string from, string to)
    {
        Assert.Contains(from, text, StringComparison.Ordinal);
        return text.Replace(from, to, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_SameManifest_NothingToDo()
    {
        var plan = ApplyPlanner.Plan(Load(Base), Load(Base));

        Assert.Empty(plan.Actions);
        Assert.True(plan.NothingToDo);
    }

    [Fact]
    public void Plan_ReplicasChangedOnAnAutoscaledService_AnUpdateNotAScale()
    {
        var plan = Plan(t => R(R(t, "replicas: 2", "replicas: 3"), "routes: [ { path: /api } ]", "routes: [ { path: /api } ]\n    autoscale: { min: 2, max: 6, cpu: 70% }"));

        var action = Assert.Single(plan.Actions);
        Assert.Equal(ApplyActionKind.Update, action.Kind);
        Assert.Contains("the autoscaler keeps the count; `replicas` only starts the service", action.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_EnvChanged_DeploysANewRevisionWithTheServiceStrategy()
    {
        var plan = Plan(t => R(t, "LOG_LEVEL: info", "LOG_LEVEL: debug"));

        var action = Assert.Single(plan.Actions);
        Assert.Equal(("api", ApplyActionKind.Deploy), (action.Target, action.Kind));
        Assert.Equal("new revision of version 3, rolled out canary", action.Detail);
        Assert.Equal("run.env.LOG_LEVEL", Assert.Single(action.Fields).Path);
        Assert.Equal("debug", plan.Effective.Services["api"].Run!.Env["LOG_LEVEL"]);
    }

    [Fact]
    public void Plan_OnlyReplicas_Scales()
    {
        var action = Assert.Single(Plan(t => R(t, "replicas: 2", "replicas: 5")).Actions);

        Assert.Equal((ApplyActionKind.Scale, "replicas 2 → 5"), (action.Kind, action.Detail));
    }

    [Fact]
    public void Plan_RoutesChanged_UpdatesInPlaceWithoutANewRevision()
    {
        var action = Assert.Single(Plan(t => R(t, "path: /api }", "path: /api/v2 }")).Actions);

        Assert.Equal(ApplyActionKind.Update, action.Kind);
        Assert.Equal("routes[0].path", Assert.Single(action.Fields).Path);
    }

    [Fact]
    public void Plan_VersionLeftOut_KeepsTheRunningVersion()
    {
        var plan = Plan(t => R(t, "    version: \"3\"\n", ""));

        Assert.Empty(plan.Actions);
        Assert.Equal("3", plan.Effective.Services["api"].Version);
    }

    [Fact]
    public void Plan_KeepVersions_IgnoresAVersionChange()
    {
        var running = Load(Base);
        var next = Load(R(Base, "version: \"3\"", "version: \"4\""));

        Assert.Equal(ApplyActionKind.Deploy, Assert.Single(ApplyPlanner.Plan(running, next).Actions).Kind);
        Assert.Empty(ApplyPlanner.Plan(running, next, keepVersions: true).Actions);
    }

    [Fact]
    public void Plan_ServiceAddedAndRemoved_StartsAndStops()
    {
        var plan = Plan(t => R(t, "  legacy:\n    upstream: [\"127.0.0.1:9001\"]", "  web:\n    upstream: [\"127.0.0.1:9002\"]"));

        Assert.Equal([("legacy", ApplyActionKind.Stop), ("web", ApplyActionKind.Start)], plan.Actions.Select(a => (a.Target, a.Kind)));
        Assert.Equal(["api", "web"], plan.Effective.Services.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Plan_ProxyAndInternalChanged_NeedRestartAndKeepTheirRunningValues()
    {
        var plan = Plan(t => R(R(t, "8080", "9090"), "    replicas: 2\n", "    replicas: 2\n    internal: { port: 9101 }\n"));

        Assert.Equal([("api", ApplyActionKind.NeedsRestart), ("proxy", ApplyActionKind.NeedsRestart)], plan.Actions.Select(a => (a.Target, a.Kind)));
        Assert.True(plan.NothingToDo);
        Assert.Null(plan.Effective.Services["api"].Internal);
        Assert.Equal(["http://127.0.0.1:8080"], plan.Effective.Proxy.Listen);
    }

    [Fact]
    public void Fingerprint_DiffersWithThePlan_AndIsStableForTheSame()
    {
        var a = Plan(t => R(t, "replicas: 2", "replicas: 5"));
        var b = Plan(t => R(t, "replicas: 2", "replicas: 5"));
        var c = Plan(t => R(t, "replicas: 2", "replicas: 6"));

        Assert.Equal(a.Fingerprint, b.Fingerprint);
        Assert.NotEqual(a.Fingerprint, c.Fingerprint);
    }
}
