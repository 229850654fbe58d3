using System.Text.Json.Nodes;
using Slipway.Core.Manifest.Model;
using Slipway.Kubernetes.Objects;

namespace Slipway.Kubernetes.Traffic;

/// <summary>
/// Gateway API <c>HTTPRoute</c>s: one per host a service is reached on (and one for its routes without a host), a rule
/// per route with its path prefix, methods and headers, the proxy's response headers as a <c>ResponseHeaderModifier</c>,
/// and <c>timeouts.firstByte</c> as the rule's backend timeout. A canary's rules name both Services, stable at weight
/// 100: Argo Rollouts' Gateway API plugin moves the weights. What the Gateway API has no standard field for (rate
/// limits, retries, affinity, body size) is noted.
/// </summary>
internal static class HttpRoutes
{
    /// <summary>The routes' names for a service, in the order <see cref="Build"/> makes them.</summary>
    public static IEnumerable<string> Names(RenderContext context, string service) =>
        Groups(context, Routing.Backends(context), service).Select((_, i) => $"{service}-{i}");

    public static IEnumerable<KubeObject> Build(RenderContext context, IReadOnlyDictionary<string, string> backends, string name, ServiceSpec service)
    {
        var groups = Groups(context, backends, name).ToList();
        var canary = service.Deploy.Strategy == DeployStrategy.Canary;
        for (var i = 0; i < groups.Count; i++)
        {
            var (host, routes) = groups[i];
            yield return Route(context, name, $"{name}-{i}", host, routes, canary
                ? Json.Arr(Backend(name, 100), Backend(Objects.Names.Canary(name), 0))
                : Json.Arr(Backend(name, null)));
        }

        if (service.Deploy.PreviewHost is { } preview)
        {
            var target = canary ? Objects.Names.Canary(name) : Objects.Names.Preview(name);
            yield return Route(context, name, Objects.Names.Preview(name), preview,
                service.Routes.Select((r, i) => ($"services.{name}.routes[{i}]", r)).ToList(), Json.Arr(Backend(target, null)));
            context.Note($"services.{name}.deploy.previewHost", "answers 404 outside a rollout on one machine; in the cluster it reaches the current revision then");
        }
    }

    private static IEnumerable<(string? Host, List<(string Path, RouteSpec Route)> Routes)> Groups(RenderContext context, IReadOnlyDictionary<string, string> backends, string service) =>
        Routing.RoutesTo(context, backends, service)
            .GroupBy(r => r.Route.Host?.ToLowerInvariant())
            .Select(g => (g.Key, g.Select(r => ($"services.{r.Owner}.routes[{r.Index}]", r.Route)).ToList()));

    private static KubeObject Route(RenderContext context, string service, string name, string? host, List<(string Path, RouteSpec Route)> routes, JsonArray backends)
    {
        var gateway = context.Kubernetes.Gateway;
        var headers = Routing.ResponseHeaders(context.Manifest.Proxy.Headers);
        var rules = new JsonArray();
        foreach (var (path, route) in routes)
        {
            Routing.NoteRoute(context, path, route);
            if (route.RateLimit is not null)
            {
                context.Note($"{path}.rateLimit", "has no standard Gateway API field (rate limits are each implementation's own policy); left out");
            }

            var matches = route.Methods.Count == 0
                ? Json.Arr(Match(route, null))
                : Json.Arr(route.Methods.Select(m => (JsonNode?)Match(route, m)));
            rules.Add(Json.Obj(
                ("matches", matches),
                ("filters", headers.Count == 0 && context.Manifest.Proxy.Headers.Remove.Count == 0 ? null : Json.Arr(Json.Obj(
                    ("type", "ResponseHeaderModifier"),
                    ("responseHeaderModifier", Json.Obj(
                        ("set", Json.NonEmpty(headers.Select(h => (JsonNode?)Json.Obj(("name", h.Key), ("value", h.Value))))),
                        ("remove", Json.NonEmpty(context.Manifest.Proxy.Headers.Remove.Select(h => (JsonNode?)h)))))))),
                ("backendRefs", backends.DeepClone()),
                ("timeouts", context.IsWritten($"{path}.timeouts.firstByte") ? Json.Obj(("backendRequest", Objects.Names.GoDuration(route.Timeouts.FirstByte))) : null)));
        }

        return KubeObject.Create("gateway.networking.k8s.io/v1", "HTTPRoute", context.Metadata(name, context.Labels(service, "route")),
            ("spec", Json.Obj(
                ("parentRefs", Json.Arr(Json.Obj(
                    ("name", gateway.Name ?? context.App),
                    ("namespace", gateway.Namespace),
                    ("sectionName", gateway.SectionName)))),
                ("hostnames", host is null ? null : Json.Arr(host)),
                ("rules", rules))));
    }

    private static JsonObject Match(RouteSpec route, string? method) => Json.Obj(
        ("path", Json.Obj(("type", "PathPrefix"), ("value", route.Path))),
        ("method", method),
        ("headers", Json.NonEmpty(route.Headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            .Select(h => (JsonNode?)Json.Obj(("type", "Exact"), ("name", h.Key), ("value", h.Value))))));

    private static JsonObject Backend(string service, int? weight) =>
        Json.Obj(("name", service), ("port", 80), ("weight", weight));
}
