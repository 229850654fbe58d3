using System.Text.Json.Nodes;
using Slipway.Kubernetes.Tests.Validation;
using Slipway.Testing;

namespace Slipway.Kubernetes.Tests;

/// <summary>Every object rendered from the shop and the other manifests passes every offline check; and the checks themselves catch what they are for.</summary>
public sealed class RenderedObjectsValidationTests
{
    [Fact]
    public async Task Render_Shop_EveryObjectValidates()
    {
        var objects = Rendering.ReadBack(Rendering.RenderFile(Rendering.Shop));

        Assert.Empty(await ObjectValidator.ValidateAsync(objects));
        Assert.Contains(objects, o => Is(o, "Rollout", "api") && o["spec"]!["strategy"]!["canary"] is not null);
        Assert.Contains(objects, o => Is(o, "AnalysisTemplate", "api-analysis"));
        Assert.Contains(objects, o => Is(o, "Rollout", "web") && o["spec"]!["strategy"]!["blueGreen"] is not null);
    }

    [Fact]
    public async Task Render_IngressCanary_EveryObjectValidates()
    {
        using var dir = TlsFiles();
        var objects = Rendering.ReadBack(Rendering.Render(Manifests.IngressCanary, dir.Path));

        Assert.Empty(await ObjectValidator.ValidateAsync(objects));
        Assert.Contains(objects, o => Is(o, "ExternalSecret", "store-secrets"));
        Assert.Contains(objects, o => Is(o, "Ingress", "api-preview-0"));
    }

    [Fact]
    public async Task Render_GatewayRolling_EveryObjectValidates()
    {
        var objects = Rendering.ReadBack(Rendering.Render(Manifests.GatewayRolling));

        Assert.Empty(await ObjectValidator.ValidateAsync(objects));
        Assert.Contains(objects, o => Is(o, "Job", "site-before"));
        Assert.Contains(objects, o => Is(o, "CronJob", "verify-posts"));
    }

    [Fact]
    public async Task Validate_MisspeltCrdField_IsCaughtByTheStrictCheckThatKubernetesModelsMisses()
    {
        var rollout = Rendering.ReadBack(Rendering.RenderFile(Rendering.Shop)).First(o => Is(o, "Rollout", "api"));
        var step = rollout["spec"]!["strategy"]!["canary"]!["steps"]!.AsArray().First(s => s!["setWeight"] is not null)!.AsObject();
        step["setWeigth"] = step["setWeight"]!.DeepClone();
        step.Remove("setWeight");

        Assert.Empty(await ObjectValidator.NodeSchemasAsync([rollout]));
        Assert.Contains(CrdSchemas.Validate(rollout), p => p.Contains("setWeigth: unknown field", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_CoreKindMistakes_AreCaught()
    {
        var deployment = Rendering.ReadBack(Rendering.Render(Manifests.GatewayRolling)).First(o => Is(o, "Deployment", "site"));
        var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject();
        container["imagePullPolicy2"] = "Always";
        Assert.Contains("imagePullPolicy2", StrictCoreKinds.Validate(deployment), StringComparison.Ordinal);

        container.Remove("imagePullPolicy2");
        container["ports"]![0]!["containerPort"] = "http";
        Assert.Contains(await ObjectValidator.NodeSchemasAsync([deployment]), p => p.Contains("containerPort must be integer", StringComparison.Ordinal));

        deployment["metadata"]!["name"] = "Site_1";
        Assert.Contains(ObjectValidator.Names(deployment), p => p.Contains("DNS-1123", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Render_PrometheusRule_PassesPromtoolCheckRules()
    {
        using var dir = TlsFiles();
        foreach (var render in new[] { Rendering.RenderFile(Rendering.Shop), Rendering.Render(Manifests.IngressCanary, dir.Path) })
        {
            var rule = Rendering.ReadBack(render).Single(o => (string)o["kind"]! == "PrometheusRule");
            var file = dir.Combine("rules.json");
            await File.WriteAllTextAsync(file, rule["spec"]!.ToJsonString());

            var (exit, output) = await ExternalTool.RunAsync(ExternalTool.Require("promtool", "prometheus"), ["check", "rules", file]);

            Assert.True(exit == 0, output);
            Assert.Contains($"SUCCESS: {rule["spec"]!["groups"]![0]!["rules"]!.AsArray().Count} rules found", output, StringComparison.Ordinal);
        }
    }

    private static bool Is(JsonObject obj, string kind, string name) => (string)obj["kind"]! == kind && (string)obj["metadata"]!["name"]! == name;

    private static TempDirectory TlsFiles()
    {
        var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("shop.pem"), "not read by render");
        File.WriteAllText(dir.Combine("shop.key"), "not read by render");
        return dir;
    }
}
