using System.Globalization;
using System.Text.Json.Nodes;
using Slipway.Core.Manifest.Model;
using Slipway.Kubernetes.Objects;

namespace Slipway.Kubernetes.Traffic;

/// <summary>
/// ingress-nginx <c>Ingress</c>es, one per route because its policies are annotations of a whole Ingress: the rate
/// limit (<c>limit-rps</c>/<c>limit-rpm</c> with a burst multiplier), body size, timeouts, TLS (a Secret per host,
/// issued by cert-manager with <c>certIssuer</c>), the HTTPS redirect, and the proxy's response headers (as a
/// configuration snippet, which the controller must allow). Argo Rollouts makes a canary's Ingress from them.
/// </summary>
internal static class Ingresses
{
    private const string Prefix = "nginx.ingress.kubernetes.io/";

    public static IEnumerable<string> Names(RenderContext context, string service) =>
        Routing.RoutesTo(context, Routing.Backends(context), service).Select((_, i) => $"{service}-{i}");

    public static IEnumerable<KubeObject> Build(RenderContext context, IReadOnlyDictionary<string, string> backends, string name, ServiceSpec service)
    {
        var routes = Routing.RoutesTo(context, backends, name).ToList();
        for (var i = 0; i < routes.Count; i++)
        {
            var (owner, index, route) = routes[i];
            yield return Ingress(context, name, $"{name}-{i}", $"services.{owner}.routes[{index}]", route, name);
        }

        if (service.Deploy.PreviewHost is { } preview)
        {
            var target = service.Deploy.Strategy == DeployStrategy.Canary ? Objects.Names.Canary(name) : Objects.Names.Preview(name);
            for (var i = 0; i < service.Routes.Count; i++)
            {
                yield return Ingress(context, name, $"{Objects.Names.Preview(name)}-{i}", $"services.{name}.routes[{i}]", service.Routes[i] with { Host = preview }, target);
            }

            context.Note($"services.{name}.deploy.previewHost", "answers 404 outside a rollout on one machine; in the cluster it reaches the current revision then");
        }
    }

    private static KubeObject Ingress(RenderContext context, string service, string name, string path, RouteSpec route, string backend)
    {
        Routing.NoteRoute(context, path, route);
        if (route.Methods.Count > 0)
        {
            context.Note($"{path}.methods", "an Ingress matches no methods; every method reaches the service");
        }

        if (route.Headers.Count > 0)
        {
            context.Note($"{path}.headers", "an Ingress matches no headers; requests without them reach the service too");
        }

        var proxy = context.Manifest.Proxy;
        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [Prefix + "proxy-body-size"] = Size(proxy.Limits.MaxRequestBody.Bytes),
            [Prefix + "proxy-connect-timeout"] = Seconds(route.Timeouts.Connect),
            [Prefix + "proxy-read-timeout"] = Seconds(route.Timeouts.FirstByte > route.Timeouts.Idle ? route.Timeouts.FirstByte : route.Timeouts.Idle),
            [Prefix + "proxy-send-timeout"] = Seconds(route.Timeouts.Idle),
        };
        if (route.RateLimit is { } limit)
        {
            var perMinute = limit.Rate.Per >= TimeSpan.FromMinutes(1);
            var rate = Math.Max(1, (int)Math.Round(perMinute ? limit.Rate.PerSecond * 60 : limit.Rate.PerSecond));
            annotations[Prefix + (perMinute ? "limit-rpm" : "limit-rps")] = rate.ToString(CultureInfo.InvariantCulture);
            var burst = limit.Burst ?? (int)Math.Ceiling(limit.Rate.PerSecond);
            annotations[Prefix + "limit-burst-multiplier"] = Math.Max(1, (int)Math.Ceiling(burst / (double)rate)).ToString(CultureInfo.InvariantCulture);
        }

        var headers = Routing.ResponseHeaders(proxy.Headers);
        if (headers.Count > 0 || proxy.Headers.Remove.Count > 0)
        {
            annotations[Prefix + "configuration-snippet"] = string.Concat(
                headers.Select(h => $"more_set_headers \"{h.Key}: {h.Value.Replace("\"", "\\\"", StringComparison.Ordinal)}\";\n")
                .Concat(proxy.Headers.Remove.Select(h => $"more_clear_headers \"{h}\";\n")));
            context.Note("proxy.headers", "are set by a configuration snippet: the ingress-nginx controller must allow them (allow-snippet-annotations: \"true\", annotations-risk-level: Critical)");
        }

        JsonArray? tls = null;
        if (proxy.Tls is { } tlsSpec && route.Host is { } tlsHost)
        {
            annotations[Prefix + "ssl-redirect"] = tlsSpec.RedirectHttp ? "true" : "false";
            if (context.Kubernetes.CertIssuer is { } issuer)
            {
                annotations["cert-manager.io/cluster-issuer"] = issuer;
            }

            tls = Json.Arr(Json.Obj(("hosts", Json.Arr(tlsHost)), ("secretName", TlsSecret(context, tlsHost))));
        }

        var rule = Json.Obj(
            ("host", route.Host),
            ("http", Json.Obj(("paths", Json.Arr(Json.Obj(
                ("path", route.Path),
                ("pathType", "Prefix"),
                ("backend", Json.Obj(("service", Json.Obj(("name", backend), ("port", Json.Obj(("name", Objects.Names.HttpPort)))))))))))));
        return KubeObject.Create("networking.k8s.io/v1", "Ingress", context.Metadata(name, context.Labels(service, "route"), Json.Map(annotations)),
            ("spec", Json.Obj(("ingressClassName", context.Kubernetes.Ingress.ClassName), ("tls", tls), ("rules", Json.Arr(rule)))));
    }

    /// <summary>One Secret per host: cert-manager issues it with <c>certIssuer</c>; without, it holds <c>proxy.tls</c>'s files.</summary>
    public static string TlsSecret(RenderContext context, string host) =>
        context.Kubernetes.CertIssuer is null ? $"{context.App}-tls" : "tls-" + host.Replace("*.", "wildcard.", StringComparison.Ordinal).Replace('.', '-');

    private static string Seconds(TimeSpan value) => Objects.Names.Seconds(value).ToString(CultureInfo.InvariantCulture);

    /// <summary>nginx's size syntax: <c>10m</c>, <c>512k</c>, or bytes.</summary>
    private static string Size(long bytes) =>
        bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)}m" : bytes % 1024 == 0 ? $"{bytes / 1024}k" : bytes.ToString(CultureInfo.InvariantCulture);
}
