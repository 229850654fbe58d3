using Slipway.Control.Apply;
using Slipway.Core.Manifest;
using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Tests.Apply;

/// <summary>The role each change of an apply needs: deployers tune, admins decide what runs and what is exposed.</summary>
public sealed class ApplyPrivilegesTests
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
            health:
              readiness: { http: /ready, period: 1s, timeout: 1s }
            deploy: { strategy: canary, steps: [ { weight: 20, pause: 1m } ] }
          legacy:
            upstream: ["127.0.0.1:9001"]
            routes: [ { path: /old } ]
        """;

    public static TheoryData<string, string> DeployerEdits => new()
    {
        { "version: \"3\"", "version: \"4\"" },
        { "replicas: 2", "replicas: 5" },
        { "period: 1s, timeout: 1s", "period: 2s, timeout: 1s" },
        { "steps: [ { weight: 20, pause: 1m } ]", "steps: [ { weight: 10, pause: 1m } ]" },
        { "replicas: 2", "replicas: 2\n    restart: { backoff: 5s }\n    stop: { drainTimeout: 5s }\n    maxInFlight: 10\n    loadBalancing: round-robin" },
    };

    public static TheoryData<string, string, string> AdminEdits => new()
    {
        { "command: \"true\"", "command: \"false\"", "api: run.command" },
        { "LOG_LEVEL: info", "LOG_LEVEL: debug", "api: run.env.LOG_LEVEL" },
        { "env: { LOG_LEVEL: info }", "env: { LOG_LEVEL: info }, secrets: [DB]", "api: run.secrets" },
        { "readiness: { http: /ready,", "readiness: { exec: [\"true\"],", "api: health.readiness.exec" },
        { "health:\n      readiness:", "health:\n      liveness: { exec: [\"true\"] }\n      readiness:", "api: health.liveness" },
        { "steps: [ { weight: 20, pause: 1m } ] }", "steps: [ { weight: 20, pause: 1m } ], hooks: { before: \"migrate\" } }", "api: deploy.hooks.before" },
        { "path: /api", "path: /admin", "api: routes[0].path" },
        { "steps: [ { weight: 20, pause: 1m } ] }", "steps: [ { weight: 20, pause: 1m } ], previewHost: preview.shop.test }", "api: deploy.previewHost" },
        { "127.0.0.1:9001", "10.0.0.9:9001", "legacy: upstream[0]" },
        { "http://127.0.0.1:8080", "http://0.0.0.0:8080", "proxy: proxy.listen[0]" },
        { "  legacy:\n    upstream: [\"127.0.0.1:9001\"]\n    routes: [ { path: /old } ]", "", "legacy: removing the service" },
        { "services:", "services:\n  worker:\n    run: { command: sleep, args: [\"9\"] }", "worker: a new service" },
    };

    [Theory]
    [MemberData(nameof(DeployerEdits))]
    public void Of_TuningEdits_Deployer(string from, string to)
    {
        var plan = Plan(from, to);

        Assert.NotEmpty(plan.Actions);
        Assert.Equal(ApplyRole.Deployer, ApplyPrivileges.Of(plan));
        Assert.Empty(ApplyPrivileges.AdminChanges(plan));
    }

    [Theory]
    [MemberData(nameof(AdminEdits))]
    public void Of_WhatRunsOrWhatIsExposed_AdminNamingTheChange(string from, string to, string named)
    {
        var plan = Plan(from, to);

        Assert.Equal(ApplyRole.Admin, ApplyPrivileges.Of(plan));
        Assert.Contains(named, ApplyPrivileges.AdminChanges(plan));
    }

    [Fact]
    public void Of_MixedPlan_EachFieldItsOwnRole()
    {
        var plan = Plan("replicas: 2", "replicas: 3", ("command: \"true\"", "command: \"false\""));

        var action = Assert.Single(plan.Actions);
        Assert.Equal(ApplyRole.Admin, ApplyPrivileges.Of(action));
        Assert.Equal(ApplyRole.Admin, ApplyPrivileges.Of(action, action.Fields.Single(f => f.Path == "run.command")));
        Assert.Equal(ApplyRole.Deployer, ApplyPrivileges.Of(action, action.Fields.Single(f => f.Path == "replicas")));
        Assert.Equal(["api: run.command"], ApplyPrivileges.AdminChanges(plan));
    }

    private static ApplyPlan Plan(string from, string to, params (string From, string To)[] more)
    {
        var edited = Base;
        foreach (var (a, b) in more.Prepend((from, to)))
        {
            Assert.Contains(a, edited, StringComparison.Ordinal);
            edited = edited.Replace(a, b, StringComparison.Ordinal);
        }

        return ApplyPlanner.Plan(Load(Base), Load(edited));
    }

    private static AppManifest Load(string yaml)
    {
        var result = ManifestLoader.LoadText(yaml.ReplaceLineEndings("\n"), "app.yaml", Path.GetTempPath());
        Assert.True(result.IsValid, string.Join("\n", result.FormattedErrors));
        return result.Manifest!;
    }
}
