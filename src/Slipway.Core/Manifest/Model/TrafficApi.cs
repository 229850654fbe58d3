namespace Slipway.Core.Manifest.Model;

/// <summary>How a cluster's traffic reaches the services: the Gateway API (the default) or an ingress-nginx Ingress.</summary>
internal enum TrafficApi
{
    /// <summary>An <c>HTTPRoute</c> per host, attached to a Gateway the cluster already has.</summary>
    Gateway,

    /// <summary>An ingress-nginx <c>Ingress</c> per route, its policies as annotations.</summary>
    Ingress,
}
