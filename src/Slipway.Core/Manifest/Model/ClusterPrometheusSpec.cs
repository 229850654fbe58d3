namespace Slipway.Core.Manifest.Model;

/// <summary>The cluster's Prometheus: where rollout analysis asks, and where scrapes come from.</summary>
internal sealed record ClusterPrometheusSpec
{
    /// <summary>The address Argo Rollouts' analysis queries; kube-prometheus-stack's <c>prometheus-operated</c> Service by default.</summary>
    public string Address { get; init; } = "http://prometheus-operated.monitoring.svc.cluster.local:9090";

    /// <summary>The namespace Prometheus runs in: the network policies let its scrapes in from there.</summary>
    public string Namespace { get; init; } = "monitoring";
}
