using System.Text.Json.Nodes;
using Slipway.Core.Manifest.Model;
using Slipway.Kubernetes.Analysis;
using Slipway.Kubernetes.Objects;

namespace Slipway.Kubernetes.Workloads;

/// <summary>
/// What a service Slipway runs becomes: its env ConfigMap (named by its content, so a change rolls the pods and a
/// canary keeps its own), and a Deployment for <c>rolling</c> or an Argo Rollouts <c>Rollout</c> for <c>canary</c>
/// and <c>blue-green</c>, with its analysis and hook templates, and the manual hook Jobs.
/// </summary>
internal static class ServiceWorkloads
{
    public static IEnumerable<KubeObject> Build(RenderContext context, string name, ServiceSpec service, bool routed)
    {
        var deploy = service.Deploy;
        var rollout = deploy.Strategy != DeployStrategy.Rolling;
        var hashLabel = rollout ? "rollouts-pod-template-hash" : "pod-template-hash";
        var env = ContainerEnv.Build(context, name, service, hashLabel);
        string? configMap = null;
        if (env.Plain.Count > 0)
        {
            configMap = $"{name}-env-{Names.Digest(string.Join('\n', env.Plain.Select(e => $"{e.Key}={e.Value}")))}";
            yield return KubeObject.Create("v1", "ConfigMap", context.Metadata(configMap, context.Labels(name, "config")),
                ("immutable", true), ("data", Json.Map(env.Plain)));
        }

        var template = PodTemplate.Build(context, name, service, hashLabel, env, configMap);
        if (!rollout)
        {
            NoteAnalysis(context, name);
            yield return Deployment(context, name, service, template);
        }
        else if (deploy.Strategy == DeployStrategy.Canary)
        {
            foreach (var obj in CanaryRollout.Build(context, name, service, template, env, configMap, routed))
            {
                yield return obj;
            }
        }
        else
        {
            foreach (var obj in BlueGreenRollout.Build(context, name, service, template, env, configMap))
            {
                yield return obj;
            }
        }
    }

    /// <summary>The fields a Deployment and a Rollout share.</summary>
    public static (string Key, JsonNode? Value)[] CommonSpec(RenderContext context, string name, ServiceSpec service, JsonObject template) =>
    [
        ("replicas", service.Autoscale is null ? service.Replicas : null),
        ("revisionHistoryLimit", 10),
        ("selector", Json.Obj(("matchLabels", context.Selector(name)))),
        ("minReadySeconds", service.Deploy.MinReady > TimeSpan.Zero ? Names.Seconds(service.Deploy.MinReady) : null),
        ("progressDeadlineSeconds", Names.Seconds(service.Deploy.ProgressDeadline)),
        ("template", template),
    ];

    public static JsonObject Metadata(RenderContext context, string name, ServiceSpec service) =>
        context.Metadata(name, context.Labels(name, "server", RenderContext.VersionOf(service)));

    /// <summary>A count such as 1 stays a number; a share such as 25% stays a string (an IntOrString).</summary>
    public static JsonNode CountOrShare(string value) =>
        int.TryParse(value.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) ? count : value.Trim();

    private static KubeObject Deployment(RenderContext context, string name, ServiceSpec service, JsonObject template) =>
        KubeObject.Create("apps/v1", "Deployment", Metadata(context, name, service),
            ("spec", Json.Obj(
            [
                .. CommonSpec(context, name, service, template),
                ("strategy", Json.Obj(
                    ("type", "RollingUpdate"),
                    ("rollingUpdate", Json.Obj(("maxSurge", CountOrShare(service.Deploy.MaxSurge)), ("maxUnavailable", CountOrShare(service.Deploy.MaxUnavailable)))))),
            ])));

    private static void NoteAnalysis(RenderContext context, string name)
    {
        foreach (var key in new[] { "analysis", "previewHost", "sticky", "canaryShield", "autoPromote", "scaleDownDelay" })
        {
            context.NoteIfWritten($"services.{name}.deploy.{key}",
                "applies on one machine to a rolling deploy too, but a Deployment cannot: it is not analysed, previewed or shielded; use strategy canary or blue-green for that");
        }
    }

    /// <summary>The analysis template reference a Rollout's strategy takes.</summary>
    public static JsonObject AnalysisRef(ServiceSpec service, string template, bool withStable, int? startingStep = null) => Json.Obj(
        ("templates", Json.Arr(Json.Obj(("templateName", template)))),
        ("startingStep", startingStep),
        ("args", AnalysisTemplates.Args(service, withStable)));
}
