using System.Globalization;
using System.Text.Json.Nodes;
using Slipway.Core.Manifest.Model;
using Slipway.Kubernetes.Objects;

namespace Slipway.Kubernetes.Scaling;

/// <summary>
/// <c>autoscale</c> as a HorizontalPodAutoscaler v2 over the Deployment or Rollout: CPU and memory targets relative to
/// <c>resources</c> (the pods' requests, so the same 100%), or to one core when <c>resources.cpu</c> is unset, as one
/// machine counts it; scale-down stabilisation as <c>behavior</c>. Requests per instance need a custom-metrics adapter
/// the cluster may not have, so that target is noted, not rendered. A PodDisruptionBudget keeps all but one pod of a
/// service with two or more through a node drain.
/// </summary>
internal static class Autoscalers
{
    public static KubeObject? Autoscaler(RenderContext context, string name, ServiceSpec service)
    {
        if (service.Autoscale is not { } autoscale)
        {
            return null;
        }

        var path = $"services.{name}.autoscale";
        var metrics = new JsonArray();
        if (autoscale.Cpu is { } cpu)
        {
            metrics.Add(Resource("cpu", service.Resources.Cpu is null
                ? Json.Obj(("type", "AverageValue"), ("averageValue", ((long)Math.Round(cpu.Value * 10)).ToString(CultureInfo.InvariantCulture) + "m"))
                : Json.Obj(("type", "Utilization"), ("averageUtilization", (int)Math.Round(cpu.Value)))));
        }

        if (autoscale.Memory is { } memory)
        {
            if (service.Resources.Memory is null)
            {
                context.Note($"{path}.memory", "is relative to resources.memory, which is not set; left out");
            }
            else
            {
                metrics.Add(Resource("memory", Json.Obj(("type", "Utilization"), ("averageUtilization", (int)Math.Round(memory.Value)))));
            }
        }

        if (autoscale.RpsPerInstance is not null)
        {
            context.Note($"{path}.rpsPerInstance", "needs a custom-metrics adapter (prometheus-adapter, KEDA) serving requests per pod; not rendered");
        }

        if (metrics.Count == 0)
        {
            context.Note(path, "has no target a HorizontalPodAutoscaler can read without an adapter; no autoscaler is rendered");
            return null;
        }

        if (autoscale.Min < 1)
        {
            context.Note($"{path}.min", "is 0; a HorizontalPodAutoscaler scales down to 1 at least");
        }

        var strategy = service.Deploy.Strategy == DeployStrategy.Rolling;
        return KubeObject.Create("autoscaling/v2", "HorizontalPodAutoscaler", context.Metadata(name, context.Labels(name, "autoscaler")),
            ("spec", Json.Obj(
                ("scaleTargetRef", Json.Obj(
                    ("apiVersion", strategy ? "apps/v1" : "argoproj.io/v1alpha1"),
                    ("kind", strategy ? "Deployment" : "Rollout"),
                    ("name", name))),
                ("minReplicas", Math.Max(1, autoscale.Min)),
                ("maxReplicas", autoscale.Max),
                ("metrics", metrics),
                ("behavior", Json.Obj(("scaleDown", Json.Obj(("stabilizationWindowSeconds", Names.Seconds(autoscale.ScaleDownStabilization)))))))));
    }

    public static KubeObject? DisruptionBudget(RenderContext context, string name, ServiceSpec service)
    {
        var least = service.Autoscale is { } autoscale ? Math.Max(1, autoscale.Min) : service.Replicas;
        return least < 2 ? null : KubeObject.Create("policy/v1", "PodDisruptionBudget", context.Metadata(name, context.Labels(name, "disruption-budget")),
            ("spec", Json.Obj(("maxUnavailable", 1), ("selector", Json.Obj(("matchLabels", context.Selector(name)))))));
    }

    private static JsonObject Resource(string resource, JsonObject target) =>
        Json.Obj(("type", "Resource"), ("resource", Json.Obj(("name", resource), ("target", target))));
}
