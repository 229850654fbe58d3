using Slipway.Core.Manifest.Binding;

namespace Slipway.Core.Manifest.Model;

/// <summary>
/// What only a cluster needs, for <c>slipway render kubernetes</c>; everything else maps from the rest of the manifest.
/// One machine ignores this section.
/// </summary>
internal sealed record KubernetesSpec : IValidatedSpec
{
    /// <summary>The namespace every object goes in; the app's name when absent.</summary>
    public string? Namespace { get; init; }

    public TrafficApi Traffic { get; init; } = TrafficApi.Gateway;

    public GatewayRefSpec Gateway { get; init; } = new();

    public IngressControllerSpec Ingress { get; init; } = new();

    /// <summary>A cert-manager ClusterIssuer that issues the routed hosts' certificates (with <c>proxy.tls</c> and <c>traffic: ingress</c>).</summary>
    public string? CertIssuer { get; init; }

    /// <summary>The StorageClass of the backups' volume; the cluster's default when absent.</summary>
    public string? StorageClass { get; init; }

    public IReadOnlyList<string> ImagePullSecrets { get; init; } = [];

    /// <summary>Labels on every object, e.g. <c>release: kube-prometheus-stack</c> so its Prometheus selects the monitors and rules.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public ExternalSecretsSpec? ExternalSecrets { get; init; }

    public ClusterPrometheusSpec Prometheus { get; init; } = new();

    /// <summary>The request metrics the cluster has; follows <see cref="Traffic"/> when absent (ingress-nginx's for an Ingress, Istio's for a Gateway).</summary>
    public ClusterRequestMetrics? RequestMetrics { get; init; }

    /// <summary>The port every service's container listens on (its <c>PORT</c>).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 65535)]
    public int Port { get; init; } = 8080;

    public KubernetesImagesSpec Images { get; init; } = new();

    public void Validate(SpecContext context)
    {
        CheckLabel(context, "namespace", Namespace);
        CheckSubdomain(context, "gateway.name", Gateway.Name);
        CheckLabel(context, "gateway.namespace", Gateway.Namespace);
        CheckSubdomain(context, "gateway.sectionName", Gateway.SectionName);
        CheckSubdomain(context, "ingress.className", Ingress.ClassName);
        CheckLabel(context, "ingress.namespace", Ingress.Namespace);
        CheckSubdomain(context, "certIssuer", CertIssuer);
        CheckSubdomain(context, "storageClass", StorageClass);
        CheckSubdomain(context, "externalSecrets.store", ExternalSecrets?.Store);
        CheckLabel(context, "prometheus.namespace", Prometheus.Namespace);
        for (var i = 0; i < ImagePullSecrets.Count; i++)
        {
            CheckSubdomain(context, $"imagePullSecrets[{i}]", ImagePullSecrets[i]);
        }

        foreach (var (key, value) in Labels)
        {
            if (!KubernetesNames.IsLabelKey(key))
            {
                context.Error($"labels.{key}", "is not a Kubernetes label key: an optional DNS prefix and '/', then at most 63 letters, digits, '-', '_' or '.'");
            }
            else if (!KubernetesNames.IsLabelValue(value))
            {
                context.Error($"labels.{key}", $"must be a Kubernetes label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit (got {ScalarParsers.Quote(value)})");
            }
            else if (key.StartsWith("app.kubernetes.io/", StringComparison.Ordinal))
            {
                context.Error($"labels.{key}", "is set by Slipway itself (the recommended app.kubernetes.io labels)");
            }
        }

        if (!Uri.TryCreate(Prometheus.Address, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
        {
            context.Error("prometheus.address", $"must be an http:// or https:// URL (got {ScalarParsers.Quote(Prometheus.Address)})");
        }

        foreach (var (key, image) in new[] { ("images.postgres", Images.Postgres), ("images.curl", Images.Curl) })
        {
            if (!KubernetesNames.IsImageReference(image))
            {
                context.Error(key, $"must be an image reference such as registry.example.com/app:1.2 (got {ScalarParsers.Quote(image)})");
            }
        }

        if (RequestMetrics == ClusterRequestMetrics.IngressNginx && Traffic != TrafficApi.Ingress)
        {
            context.Error("requestMetrics", "is ingress-nginx, but with `traffic: gateway` no request goes through ingress-nginx; use istio, or `traffic: ingress`");
        }
    }

    private static void CheckLabel(SpecContext context, string key, string? value)
    {
        if (value is not null && !KubernetesNames.IsDnsLabel(value))
        {
            context.Error(key, $"must be a DNS label: lowercase letters, digits and '-', at most 63 (got {ScalarParsers.Quote(value)})");
        }
    }

    private static void CheckSubdomain(SpecContext context, string key, string? value)
    {
        if (value is not null && !KubernetesNames.IsDnsSubdomain(value))
        {
            context.Error(key, $"must be a Kubernetes name: lowercase letters, digits, '-' and '.', at most 253 (got {ScalarParsers.Quote(value)})");
        }
    }
}
