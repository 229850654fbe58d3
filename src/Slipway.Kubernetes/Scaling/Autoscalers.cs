using System.Globalization;
using System.Text.Json.Nodes;
using Slipway.Core.Manifest.Model;
using Slipway.Kubernetes.Objects;

namespace Slipway.Kubernetes.Scaling;

/// <summary>
/// <c>autoscale</c> as a HorizontalPodAutoscaler v2 over the Deployment or Rollout: the same algorithm, so the same
/// manifest scales alike on one machine and in a cluster. CPU and memory targets are relative to <c>resources</c>
/// (the pods' requests, so the same 100%), or to one core when <c>resources.cpu</c> is unset, as one machine counts
/// it; an <c>app</c> gauge is a <c>Pods</c> metric (served by an adapter such as prometheus-adapter); the behaviour
/// of each direction is written out whole, defaults included, so a cluster's own defaults cannot change it. The
/// proxy's own counters (requests per second and in flight per instance) and scheduled bounds have no HPA form
/// without an adapter or KEDA: they are noted, not rendered. A PodDisruptionBudget keeps all but one pod of a
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

        if (autoscale.Memory is { } memory && service.Resources.Memory is not null)
        {
            metrics.Add(Resource("memory", Json.Obj(("type", "Utilization"), ("averageUtilization", (int)Math.Round(memory.Value)))));
        }

        if (autoscale.App is { } app)
        {
            metrics.Add(Json.Obj(
                ("type", "Pods"),
                ("pods", Json.Obj(
                    ("metric", Json.Obj(("name", app.Metric))),
                    ("target", Json.Obj(("type", "AverageValue"), ("averageValue", Quantity(app.Target))))))));
            context.Note($"{path}.app", $"is a Pods metric: the cluster needs a custom-metrics adapter (prometheus-adapter, KEDA) serving {app.Metric} per pod");
        }

        foreach (var (key, written) in new[] { ("rpsPerInstance", autoscale.RpsPerInstance is not null), ("inFlightPerInstance", autoscale.InFlightPerInstance is not null) })
        {
            if (written)
            {
                context.Note($"{path}.{key}", "counts requests at Slipway's proxy; in a cluster it needs a custom-metrics adapter (prometheus-adapter, KEDA) serving the ingress's per-pod rate; not rendered");
            }
        }

        if (autoscale.Schedule.Count > 0)
        {
            context.Note($"{path}.schedule", "has no HorizontalPodAutoscaler form (KEDA's cron scaler, or a CronJob patching minReplicas/maxReplicas, does it); not rendered");
        }

        if (autoscale.Interval != new AutoscaleSpec().Interval)
        {
            context.Note($"{path}.interval", "is the cluster's --horizontal-pod-autoscaler-sync-period (15s by default), set for every autoscaler on kube-controller-manager; not rendered");
        }

        if (metrics.Count == 0)
        {
            context.Note(path, "has no target a HorizontalPodAutoscaler can read without an adapter; no autoscaler is rendered");
            return null;
        }

        var strategy = service.Deploy.Strategy == DeployStrategy.Rolling;
        return KubeObject.Create("autoscaling/v2", "HorizontalPodAutoscaler", context.Metadata(name, context.Labels(name, "autoscaler")),
            ("spec", Json.Obj(
                ("scaleTargetRef", Json.Obj(
                    ("apiVersion", strategy ? "apps/v1" : "argoproj.io/v1alpha1"),
                    ("kind", strategy ? "Deployment" : "Rollout"),
                    ("name", name))),
                ("minReplicas", autoscale.Min),
                ("maxReplicas", autoscale.Max),
                ("metrics", metrics),
                ("behavior", Json.Obj(
                    ("scaleUp", Rules(context, $"{path}.scaleUp", autoscale.ScaleUp, up: true)),
                    ("scaleDown", Rules(context, $"{path}.scaleDown", autoscale.ScaleDown, up: false)))))));
    }

    public static KubeObject? DisruptionBudget(RenderContext context, string name, ServiceSpec service)
    {
        var least = service.Autoscale is { } autoscale ? autoscale.Min : service.Replicas;
        return least < 2 ? null : KubeObject.Create("policy/v1", "PodDisruptionBudget", context.Metadata(name, context.Labels(name, "disruption-budget")),
            ("spec", Json.Obj(("maxUnavailable", 1), ("selector", Json.Obj(("matchLabels", context.Selector(name)))))));
    }

    /// <summary>
    /// One direction's <c>behavior</c>, with the same defaults the machine uses (which are the HPA's own): up 0 s of
    /// stabilization and 100% or 4 pods per 15 s; down 300 s and 100% per 15 s.
    /// </summary>
    private static JsonObject Rules(RenderContext context, string path, ScalingRulesSpec spec, bool up)
    {
        var defaultPolicies = up
            ? new[] { new ScalingPolicySpec { Percent = 100 }, new ScalingPolicySpec { Instances = 4 } }
            : [new ScalingPolicySpec { Percent = 100 }];
        var policies = new JsonArray();
        foreach (var policy in spec.Policies is { Count: > 0 } written ? written : defaultPolicies)
        {
            policies.Add(Json.Obj(
                ("type", policy.Percent is null ? "Pods" : "Percent"),
                ("value", policy.Percent ?? policy.Instances),
                ("periodSeconds", Names.Seconds(policy.Period))));
        }

        var rules = Json.Obj(
            ("stabilizationWindowSeconds", Names.Seconds(spec.Stabilization ?? (up ? TimeSpan.Zero : TimeSpan.FromMinutes(5)))),
            ("selectPolicy", spec.SelectPolicy.ToString()),
            ("policies", policies));
        if (spec.Tolerance is { } tolerance)
        {
            rules["tolerance"] = Quantity(tolerance.Fraction);
            context.Note($"{path}.tolerance", "needs the HPAConfigurableTolerance feature gate (alpha in Kubernetes 1.33); without it the cluster's 10% applies");
        }

        return rules;
    }

    /// <summary>A Kubernetes quantity for a plain number: whole as is, else in milli-units (<c>0.5</c> → <c>500m</c>).</summary>
    private static string Quantity(double value) =>
        value == Math.Floor(value) ? ((long)value).ToString(CultureInfo.InvariantCulture) : ((long)Math.Round(value * 1000)).ToString(CultureInfo.InvariantCulture) + "m";

    private static JsonObject Resource(string resource, JsonObject target) =>
        Json.Obj(("type", "Resource"), ("resource", Json.Obj(("name", resource), ("target", target))));
}
