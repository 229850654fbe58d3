using System.Text.Json.Nodes;
using Slipway.Core.Manifest.Model;
using Slipway.Kubernetes.Analysis;
using Slipway.Kubernetes.Objects;
using Slipway.Kubernetes.Traffic;

namespace Slipway.Kubernetes.Workloads;

/// <summary>
/// A canary as an Argo Rollouts <c>Rollout</c>: the pre-traffic hooks, then each step's <c>setWeight</c> and
/// <c>pause</c>, traffic split by the Gateway API plugin over the service's HTTPRoutes (or ingress-nginx's canary
/// Ingress), and the analysis in the background from the first weighted step, judging <c>api-canary</c>'s requests
/// against <c>api</c>'s (the stable Service). Its canary pods are scaled to the weight, at least one, as on one machine.
/// </summary>
internal static class CanaryRollout
{
    public static IEnumerable<KubeObject> Build(RenderContext context, string name, ServiceSpec service, JsonObject template, ContainerEnv env, string? configMap, bool routed)
    {
        var deploy = service.Deploy;
        var path = $"services.{name}.deploy";
        var steps = new JsonArray();
        var before = HookJobs.PreTrafficSteps(context, name, service, env, configMap, Names.Canary(name), smoke: false);
        if (before.Count > 0)
        {
            yield return HookJobs.Template(context, name, $"{name}-before", before);
            steps.Add(Json.Obj(("analysis", Json.Obj(("templates", Json.Arr(Json.Obj(("templateName", $"{name}-before"))))))));
        }

        var smoke = HookJobs.SmokeSteps(context, name, service, Names.Canary(name));
        if (smoke.Count > 0)
        {
            var first = Math.Clamp((int)Math.Ceiling(service.Replicas * deploy.Steps[0].Weight / 100.0), 1, Math.Max(1, service.Replicas));
            yield return HookJobs.Template(context, name, $"{name}-smoke", smoke);
            steps.Add(Json.Obj(("setCanaryScale", Json.Obj(("replicas", first)))));
            steps.Add(Json.Obj(("analysis", Json.Obj(("templates", Json.Arr(Json.Obj(("templateName", $"{name}-smoke"))))))));
            steps.Add(Json.Obj(("setCanaryScale", Json.Obj(("matchTrafficWeight", true)))));
        }

        var firstWeighted = steps.Count;
        foreach (var step in deploy.Steps)
        {
            steps.Add(Json.Obj(("setWeight", step.Weight)));
            if (step.Pause.UntilPromoted)
            {
                steps.Add(Json.Obj(("pause", Json.Obj())));
            }
            else if (step.Pause.Duration > TimeSpan.Zero)
            {
                steps.Add(Json.Obj(("pause", Json.Obj(("duration", Names.GoDuration(step.Pause.Duration))))));
            }
        }

        JsonObject? trafficRouting = null;
        if (routed)
        {
            yield return AnalysisTemplates.Build(context, name, service, Names.Canary(name), name, count: null);
            var routes = Json.Arr(HttpRoutes.Names(context, name).Select(r => (JsonNode?)Json.Obj(("name", r))));
            var ingresses = Json.Arr(Ingresses.Names(context, name).Select(i => (JsonNode?)i));
            trafficRouting = context.Kubernetes.Traffic == TrafficApi.Gateway
                ? Json.Obj(("plugins", Json.Obj(("argoproj-labs/gatewayAPI", Json.Obj(("httpRoutes", routes), ("namespace", context.Namespace))))))
                : Json.Obj(("nginx", Json.Obj(("stableIngresses", ingresses))));
        }
        else
        {
            context.Note($"services.{name}.deploy.strategy",
                "canary without routes: there is no traffic to split at the edge, so Argo Rollouts approximates the weights with pod counts, and the analysis of request metrics is left out");
        }

        context.NoteIfWritten($"{path}.sticky", "keeps a client on one revision on one machine; neither the Gateway API nor Argo's nginx canary has that, so clients may see both revisions during a rollout");
        context.NoteIfWritten($"{path}.canaryShield", "retries a canary's failed GET on stable on one machine; the cluster's router does not");

        var canary = Json.Obj(
            ("stableService", routed ? name : null),
            ("canaryService", routed ? Names.Canary(name) : null),
            ("trafficRouting", trafficRouting),
            ("analysis", routed ? ServiceWorkloads.AnalysisRef(service, Names.Analysis(name), withStable: true, firstWeighted) : null),
            ("steps", steps));
        yield return KubeObject.Create("argoproj.io/v1alpha1", "Rollout", ServiceWorkloads.Metadata(context, name, service),
            ("spec", Json.Obj(
            [
                .. ServiceWorkloads.CommonSpec(context, name, service, template),
                ("progressDeadlineAbort", true),
                ("strategy", Json.Obj(("canary", canary))),
            ])));
    }
}
