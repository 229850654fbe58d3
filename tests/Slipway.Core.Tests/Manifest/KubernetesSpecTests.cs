using Slipway.Core.Manifest;
using Slipway.Core.Manifest.Model;

namespace Slipway.Core.Tests.Manifest;

/// <summary>The <c>kubernetes:</c> section and <c>services.NAME.image</c>: names the API server would refuse are manifest errors.</summary>
public sealed class KubernetesSpecTests
{
    private static ManifestLoadResult Load(string yaml) => ManifestLoader.LoadText(yaml.ReplaceLineEndings("\n"), "app.yaml", Path.GetTempPath());

    [Fact]
    public void Load_NoKubernetesSection_GatewayDefaults()
    {
        var kubernetes = Load("app: a\n").Manifest!.Kubernetes;

        Assert.Equal((TrafficApi.Gateway, null, 8080, "nginx", "postgres:17"), (kubernetes.Traffic, kubernetes.Namespace, kubernetes.Port, kubernetes.Ingress.ClassName, kubernetes.Images.Postgres));
        Assert.Null(kubernetes.RequestMetrics);
    }

    [Fact]
    public void Load_KubernetesSection_Read()
    {
        var manifest = Load("""
            app: a
            services:
              api: { run: { command: x }, image: "registry.example.com:5000/team/api:${VERSION}" }
            kubernetes:
              namespace: shop-prod
              traffic: ingress
              labels: { release: kube-prometheus-stack }
              externalSecrets: { store: vault, kind: secret-store }
              imagePullSecrets: [regcred]
            """).Manifest!;

        Assert.Equal("registry.example.com:5000/team/api:${VERSION}", manifest.Services["api"].Image);
        Assert.Equal(("shop-prod", TrafficApi.Ingress, "kube-prometheus-stack"), (manifest.Kubernetes.Namespace, manifest.Kubernetes.Traffic, manifest.Kubernetes.Labels["release"]));
        Assert.Equal(SecretStoreKind.SecretStore, manifest.Kubernetes.ExternalSecrets!.Kind);
    }

    [Theory]
    [InlineData("kubernetes:\n  namespace: Shop_Prod\n", "app.yaml:3:14: kubernetes.namespace must be a DNS label")]
    [InlineData("kubernetes:\n  labels: { \"team/\": x }\n", "app.yaml:3:13: kubernetes.labels.team/ is not a Kubernetes label key")]
    [InlineData("kubernetes:\n  labels: { release: \"-x\" }\n", "app.yaml:3:13: kubernetes.labels.release must be a Kubernetes label value")]
    [InlineData("kubernetes:\n  labels: { app.kubernetes.io/name: x }\n", "app.yaml:3:13: kubernetes.labels.app.kubernetes.io/name is set by Slipway itself")]
    [InlineData("kubernetes:\n  prometheus: { address: prometheus:9090 }\n", "app.yaml:3:26: kubernetes.prometheus.address must be an http:// or https:// URL")]
    [InlineData("kubernetes:\n  requestMetrics: ingress-nginx\n", "app.yaml:3:19: kubernetes.requestMetrics is ingress-nginx, but with `traffic: gateway`")]
    [InlineData("kubernetes:\n  images: { postgres: \"Postgres 17\" }\n", "app.yaml:3:23: kubernetes.images.postgres must be an image reference")]
    [InlineData("services:\n  api: { run: { command: x }, image: \"api:${PORT}\" }\n", "app.yaml:3:38: services.api.image uses ${PORT}; an image can use only ${VERSION}")]
    [InlineData("services:\n  api: { run: { command: x }, image: \"Registry/API:1\" }\n", "app.yaml:3:38: services.api.image must be an image reference")]
    public void Load_BadValue_ErrorAtThePlace(string yaml, string expected)
    {
        var errors = Load("app: a\n" + yaml).FormattedErrors.ToList();

        Assert.True(errors.Exists(e => e.StartsWith(expected, StringComparison.Ordinal)), string.Join("\n", errors));
    }

    [Theory]
    [InlineData("nginx")]
    [InlineData("ghcr.io/acme/api:1.2.3")]
    [InlineData("localhost:5000/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("docker.io/library/postgres:17-alpine")]
    public void IsImageReference_Valid_True(string image) => Assert.True(KubernetesNames.IsImageReference(image));

    [Theory]
    [InlineData("")]
    [InlineData("API:1")]
    [InlineData("api:1 2")]
    [InlineData("api::1")]
    public void IsImageReference_Invalid_False(string image) => Assert.False(KubernetesNames.IsImageReference(image));
}
