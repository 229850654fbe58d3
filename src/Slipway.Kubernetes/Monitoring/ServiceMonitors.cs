using Slipway.Core.Manifest.Model;
using Slipway.Kubernetes.Objects;

namespace Slipway.Kubernetes.Monitoring;

/// <summary>
/// A ServiceMonitor for a service with <c>metrics:</c>, over its headless <c>-metrics</c> Service: same path, interval
/// and size limit, and relabelled so every series carries what one machine adds (<c>service</c>, <c>revision</c> — the
/// pod-template hash here — and <c>instance</c>, the pod), which the alert rules and the canary analysis read.
/// </summary>
internal static class ServiceMonitors
{
    public static KubeObject? Build(RenderContext context, string name, ServiceSpec service)
    {
        if (service.Metrics is not { } metrics)
        {
            return null;
        }

        var selector = context.Selector(name);
        selector["app.kubernetes.io/component"] = "metrics";
        return KubeObject.Create("monitoring.coreos.com/v1", "ServiceMonitor", context.Metadata(name, context.Labels(name, "metrics")),
            ("spec", Json.Obj(
                ("selector", Json.Obj(("matchLabels", selector))),
                ("bodySizeLimit", metrics.MaxBytes.Bytes % (1024 * 1024) == 0 ? $"{metrics.MaxBytes.Bytes / (1024 * 1024)}MiB" : $"{metrics.MaxBytes.Bytes}B"),
                ("endpoints", Json.Arr(Json.Obj(
                    ("port", Names.HttpPort),
                    ("path", metrics.Path),
                    ("interval", Names.GoDuration(metrics.Interval)),
                    ("relabelings", Json.Arr(
                        Json.Obj(("targetLabel", "service"), ("replacement", name)),
                        Json.Obj(
                            ("sourceLabels", Json.Arr("__meta_kubernetes_pod_label_rollouts_pod_template_hash", "__meta_kubernetes_pod_label_pod_template_hash")),
                            ("separator", ""),
                            ("targetLabel", "revision")),
                        Json.Obj(("sourceLabels", Json.Arr("__meta_kubernetes_pod_name")), ("targetLabel", "instance"))))))))));
    }
}
