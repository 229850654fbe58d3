using System.Text.Json.Nodes;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Primitives;

namespace Slipway.Kubernetes.Tests;

public sealed class KubernetesRendererTests
{
    private const string Minimal = """
        app: a
        services:
          api:
            image: "registry.example.com/api:${VERSION}"
            version: "3"
            run: { command: api, env: { GREETING: "hi ${SERVICE} on ${PORT}" }, secrets: [DB_PASSWORD] }
            routes: [ { path: / } ]
        """;

    [Fact]
    public void Render_ServiceWithoutImage_IsAnErrorNamingItAndRendersNothing()
    {
        var render = Rendering.Render("""
            app: a
            services:
              api: { run: { command: api } }
              old: { upstream: ["10.0.0.1:80"] }
            """);

        Assert.False(render.Succeeded);
        Assert.Empty(render.Files);
        var error = Assert.Single(render.Errors);
        Assert.Equal("services.api", error.Path);
        Assert.StartsWith("has no `image`", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SameManifest_SameBytes_WhateverTheOrderOfItsKeys()
    {
        var first = Rendering.RenderFile(Rendering.Shop).ToListing();
        var reordered = Rendering.Render(Minimal.Replace("            run: {", "            routes: [ { path: / } ]\n            run: {", StringComparison.Ordinal)
            .Replace("            routes: [ { path: / } ]\n        ", "        ", StringComparison.Ordinal)).ToListing();

        Assert.Equal(first, Rendering.RenderFile(Rendering.Shop).ToListing());
        Assert.Equal(Rendering.Render(Minimal).ToListing(), reordered);
    }

    [Fact]
    public void Render_PlantedSecretValues_NeverReachTheOutput_OnlyReferences()
    {
        const string planted = "pl4nted-s3cret-value";
        Environment.SetEnvironmentVariable("SLIPWAY_SECRET_DB_PASSWORD", planted);
        Environment.SetEnvironmentVariable("DATABASE_URL", $"postgresql://app:{planted}@db/app");
        try
        {
            var render = Rendering.Render(Minimal + "\n" + $$"""
                backups:
                  main: { postgres: "env:DATABASE_URL", schedule: "@daily", destination: b }
                  other: { postgres: "postgresql://app:{{planted}}@db:5432/other", schedule: "@daily", destination: b }
                kubernetes: { externalSecrets: { store: vault } }
                """);

            var text = render.ToListing();
            Assert.DoesNotContain(planted, text, StringComparison.Ordinal);
            Assert.Contains("key: DB_PASSWORD", text, StringComparison.Ordinal);
            Assert.Contains("key: DATABASE_URL", text, StringComparison.Ordinal);
            Assert.Contains("key: BACKUP_OTHER_URL", text, StringComparison.Ordinal);
            Assert.Contains(render.Notes, n => n.Path == "backups.other.postgres");
        }
        finally
        {
            Environment.SetEnvironmentVariable("SLIPWAY_SECRET_DB_PASSWORD", null);
            Environment.SetEnvironmentVariable("DATABASE_URL", null);
        }
    }

    [Fact]
    public void Render_Environment_PlaceholdersFilled_PlainValuesInAConfigMapNamedByItsContent()
    {
        var objects = Rendering.ReadBack(Rendering.Render(Minimal));

        var configMap = Assert.Single(objects, o => Kind(o) == "ConfigMap");
        Assert.Equal("hi api on 8080", (string)configMap["data"]!["GREETING"]!);
        Assert.StartsWith("api-env-", Name(configMap), StringComparison.Ordinal);
        Assert.True(configMap["immutable"]!.GetValue<bool>());
        var container = objects.Single(o => Kind(o) == "Deployment")["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal("registry.example.com/api:3", (string)container["image"]!);
        Assert.Equal(Name(configMap), (string)container["envFrom"]![0]!["configMapRef"]!["name"]!);

        var changed = Rendering.ReadBack(Rendering.Render(Minimal.Replace("hi ", "hello ", StringComparison.Ordinal))).Single(o => Kind(o) == "ConfigMap");
        Assert.NotEqual(Name(configMap), Name(changed));
    }

    [Fact]
    public void Render_AutoscaleBuiltInCode_HorizontalPodAutoscalerV2WithBehavior()
    {
        var manifest = new AppManifest
        {
            App = "a",
            Services = new Dictionary<string, ServiceSpec>
            {
                ["api"] = new()
                {
                    Image = "api:1",
                    Run = new RunSpec { Command = "api" },
                    Replicas = 3,
                    Resources = new ResourcesSpec { Cpu = 0.5, Memory = new ByteSize(256L << 20) },
                    Deploy = new DeploySpec { Strategy = DeployStrategy.Canary, Steps = [new CanaryStep { Weight = 20 }] },
                    Autoscale = new AutoscaleSpec
                    {
                        Min = 3,
                        Max = 12,
                        Cpu = new Percentage(70),
                        Memory = new Percentage(80),
                        RpsPerInstance = 100,
                        App = new AppMetricSpec { Metric = "queue_depth", Target = 2.5 },
                        ScaleUp = new ScalingRulesSpec { Policies = [new ScalingPolicySpec { Instances = 2, Period = TimeSpan.FromMinutes(1) }], SelectPolicy = SelectPolicy.Min },
                        ScaleDown = new ScalingRulesSpec { Stabilization = TimeSpan.FromMinutes(3) },
                        Schedule = [new ScheduledBoundsSpec { Cron = Core.Scheduling.CronExpression.Parse("0 22 * * *"), Duration = TimeSpan.FromHours(9), Min = 1 }],
                    },
                },
                ["worker"] = new()
                {
                    Image = "worker:1",
                    Run = new RunSpec { Command = "worker" },
                    Autoscale = new AutoscaleSpec { Min = 1, Max = 4, Cpu = new Percentage(50) },
                },
            },
        };

        var render = KubernetesRenderer.Render(manifest);
        var objects = Rendering.ReadBack(render);

        var hpa = objects.Single(o => Kind(o) == "HorizontalPodAutoscaler" && Name(o) == "api")["spec"]!;
        Assert.Equal("""{"apiVersion":"argoproj.io/v1alpha1","kind":"Rollout","name":"api"}""", hpa["scaleTargetRef"]!.ToJsonString());
        Assert.Equal((3L, 12L), ((long)hpa["minReplicas"]!, (long)hpa["maxReplicas"]!));
        Assert.Equal("""[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":70}}},{"type":"Resource","resource":{"name":"memory","target":{"type":"Utilization","averageUtilization":80}}},{"type":"Pods","pods":{"metric":{"name":"queue_depth"},"target":{"type":"AverageValue","averageValue":"2500m"}}}]""",
            hpa["metrics"]!.ToJsonString());

        // Each direction written out whole, the machine's defaults included, so a cluster's own defaults change nothing.
        Assert.Equal("""{"stabilizationWindowSeconds":0,"selectPolicy":"Min","policies":[{"type":"Pods","value":2,"periodSeconds":60}]}""", hpa["behavior"]!["scaleUp"]!.ToJsonString());
        Assert.Equal("""{"stabilizationWindowSeconds":180,"selectPolicy":"Max","policies":[{"type":"Percent","value":100,"periodSeconds":15}]}""", hpa["behavior"]!["scaleDown"]!.ToJsonString());
        Assert.Contains(render.Notes, n => n.Path == "services.api.autoscale.rpsPerInstance");
        Assert.Contains(render.Notes, n => n.Path == "services.api.autoscale.app");
        Assert.Contains(render.Notes, n => n.Path == "services.api.autoscale.schedule");

        // Without resources.cpu one machine counts against one core: 50% is half a core per pod.
        var worker = objects.Single(o => Kind(o) == "HorizontalPodAutoscaler" && Name(o) == "worker")["spec"]!;
        Assert.Equal("""{"type":"AverageValue","averageValue":"500m"}""", worker["metrics"]![0]!["resource"]!["target"]!.ToJsonString());
        Assert.Equal("""{"apiVersion":"apps/v1","kind":"Deployment","name":"worker"}""", worker["scaleTargetRef"]!.ToJsonString());
        Assert.Equal("""{"stabilizationWindowSeconds":0,"selectPolicy":"Max","policies":[{"type":"Percent","value":100,"periodSeconds":15},{"type":"Pods","value":4,"periodSeconds":15}]}""",
            worker["behavior"]!["scaleUp"]!.ToJsonString());

        // The autoscaler owns the replica count: the workloads leave it out, so an apply does not reset it.
        Assert.All(objects.Where(o => Kind(o) is "Rollout" or "Deployment"), o => Assert.Null(o["spec"]!["replicas"]));
        Assert.Contains(objects, o => Kind(o) == "PodDisruptionBudget" && Name(o) == "api");
        Assert.DoesNotContain(objects, o => Kind(o) == "PodDisruptionBudget" && Name(o) == "worker");
    }

    [Fact]
    public void Render_Stop_PreStopCoversTheDrainAndGraceCountsFromTheStart()
    {
        var pod = Rendering.ReadBack(Rendering.Render(Minimal.Replace("routes:", "stop: { drainTimeout: 12s, gracePeriod: 8s }\n    routes:", StringComparison.Ordinal)))
            .Single(o => Kind(o) == "Deployment")["spec"]!["template"]!["spec"]!;

        Assert.Equal(12L, (long)pod["containers"]![0]!["lifecycle"]!["preStop"]!["sleep"]!["seconds"]!);
        Assert.Equal(20L, (long)pod["terminationGracePeriodSeconds"]!);
        Assert.Equal("""{"allowPrivilegeEscalation":false,"readOnlyRootFilesystem":true,"capabilities":{"drop":["ALL"]}}""", pod["containers"]![0]!["securityContext"]!.ToJsonString());
    }

    [Fact]
    public void Render_KeysLeftToTheirDefaults_NoNotes()
    {
        Assert.Empty(Rendering.Render(Minimal).Notes);
    }

    [Fact]
    public void Render_Shop_NotesEachKeyWithoutAnEquivalentOnce()
    {
        var notes = Rendering.RenderFile(Rendering.Shop).Notes;

        Assert.Equal(notes.Count, notes.Select(n => n.Path).Distinct().Count());
        foreach (var path in new[]
        {
            "services.api.loadBalancing", "services.api.maxInFlight", "services.api.deploy.windows", "services.api.routes[0].rateLimit",
            "services.api.routes[4].affinity", "services.api.routes[2].allow", "services.api.deploy.analysis.compareToStable", "services.api.deploy.analysis.interval",
            "services.worker.restart", "alerts.rules[6]", "alerts.receivers", "proxy.compression",
        })
        {
            Assert.Contains(notes, n => n.Path == path);
        }
    }

    [Fact]
    public void Render_Canary_StepsAfterThePreTrafficHooks_AnalysisFromTheFirstWeight()
    {
        var rollout = Rendering.ReadBack(Rendering.RenderFile(Rendering.Shop)).Single(o => Kind(o) == "Rollout" && Name(o) == "api")["spec"]!["strategy"]!["canary"]!;

        Assert.Equal(
            """[{"analysis":{"templates":[{"templateName":"api-before"}]}},{"setCanaryScale":{"replicas":1}},{"analysis":{"templates":[{"templateName":"api-smoke"}]}},{"setCanaryScale":{"matchTrafficWeight":true}},{"setWeight":5},{"pause":{"duration":"30s"}},{"setWeight":25},{"pause":{"duration":"1m"}},{"setWeight":50},{"pause":{"duration":"1m"}}]""",
            rollout["steps"]!.ToJsonString());
        Assert.Equal(4L, (long)rollout["analysis"]!["startingStep"]!);
        Assert.Equal(("api", "api-canary"), ((string)rollout["stableService"]!, (string)rollout["canaryService"]!));
    }

    private static string Kind(JsonObject obj) => (string)obj["kind"]!;

    private static string Name(JsonObject obj) => (string)obj["metadata"]!["name"]!;
}
