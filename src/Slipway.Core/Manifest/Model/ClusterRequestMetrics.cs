namespace Slipway.Core.Manifest.Model;

/// <summary>Which request metrics a cluster's Prometheus has, for analysis and alert rules (Slipway's proxy is not there).</summary>
internal enum ClusterRequestMetrics
{
    /// <summary><c>nginx_ingress_controller_requests</c> and its duration histogram, labelled by the backend Service.</summary>
    IngressNginx,

    /// <summary><c>istio_requests_total</c> and <c>istio_request_duration_milliseconds</c>, labelled by the destination Service.</summary>
    Istio,
}
