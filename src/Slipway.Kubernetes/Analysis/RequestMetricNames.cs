using Slipway.Core.Manifest.Model;

namespace Slipway.Kubernetes.Analysis;

/// <summary>
/// Where a cluster's Prometheus has the request counts and latencies Slipway's proxy measures on one machine: the
/// metrics of whatever routes the requests, labelled by the Kubernetes Service they went to (so <c>api-canary</c>'s
/// requests are the canary's). Latency is converted to seconds where the source counts milliseconds.
/// </summary>
internal sealed record RequestMetricNames(string Requests, string DurationBuckets, string NamespaceLabel, string ServiceLabel, string StatusLabel, string? Fixed, double DurationUnitsPerSecond)
{
    /// <summary>ingress-nginx's, scraped with <c>honorLabels: true</c> so <c>namespace</c> is the Ingress's.</summary>
    public static readonly RequestMetricNames IngressNginx = new(
        "nginx_ingress_controller_requests", "nginx_ingress_controller_request_duration_seconds_bucket", "namespace", "service", "status", null, 1);

    /// <summary>Istio's standard metrics as the gateway (or the caller's sidecar) reports them.</summary>
    public static readonly RequestMetricNames Istio = new(
        "istio_requests_total", "istio_request_duration_milliseconds_bucket", "destination_service_namespace", "destination_service_name", "response_code", "reporter=\"source\"", 1000);

    public static RequestMetricNames For(ClusterRequestMetrics source) => source == ClusterRequestMetrics.Istio ? Istio : IngressNginx;

    /// <summary>The label matchers for one Kubernetes Service's requests (<paramref name="serviceMatcher"/> is e.g. <c>="api-canary"</c>), plus <paramref name="extra"/>.</summary>
    public string Matchers(string @namespace, string serviceMatcher, params string[] extra) =>
        "{" + string.Join(",", new[] { Fixed, $"{NamespaceLabel}=\"{@namespace}\"", ServiceLabel + serviceMatcher }.Concat(extra).OfType<string>()) + "}";

    /// <summary>The matcher for a 5xx status.</summary>
    public string ServerError => $"{StatusLabel}=~\"5..\"";
}
