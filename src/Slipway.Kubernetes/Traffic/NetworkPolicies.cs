using System.Text.Json.Nodes;
using Slipway.Core.Manifest.Model;
using Slipway.Kubernetes.Objects;

namespace Slipway.Kubernetes.Traffic;

/// <summary>
/// Default deny for traffic into the namespace's pods, then per service only what one machine lets reach it: the
/// ingress controller or Gateway for routed services, the app's own pods for a service with an internal address
/// (every instance gets every <c>SLIPWAY_X_URL</c> on one machine too), the app's hook Jobs for its smoke checks, and
/// Prometheus for a service with <c>metrics:</c>. Egress stays open: where the database lives is not in the manifest.
/// </summary>
internal static class NetworkPolicies
{
    public static IEnumerable<KubeObject> Build(RenderContext context, IReadOnlySet<string> routed)
    {
        yield return KubeObject.Create("networking.k8s.io/v1", "NetworkPolicy", context.Metadata("default-deny", context.Labels(context.App, "network-policy")),
            ("spec", Json.Obj(("podSelector", Json.Obj()), ("policyTypes", Json.Arr("Ingress")))));

        var edge = context.Kubernetes.Traffic == TrafficApi.Ingress
            ? context.Kubernetes.Ingress.Namespace
            : context.Kubernetes.Gateway.Namespace ?? context.Namespace;
        foreach (var (name, service) in context.RunServices)
        {
            var from = new JsonArray();
            if (routed.Contains(name) || service.Deploy.PreviewHost is not null)
            {
                from.Add(Namespace(edge));
            }

            if (service.Internal is not null)
            {
                from.Add(Json.Obj(("podSelector", Json.Obj(("matchLabels", Json.Obj(("app.kubernetes.io/part-of", context.App)))))));
            }
            else if (service.Deploy.Hooks.Smoke.Count > 0)
            {
                from.Add(Json.Obj(("podSelector", Json.Obj(("matchLabels", Json.Obj(("app.kubernetes.io/part-of", context.App), ("app.kubernetes.io/component", "hook")))))));
            }

            if (service.Metrics is not null)
            {
                from.Add(Namespace(context.Kubernetes.Prometheus.Namespace));
            }

            if (from.Count == 0)
            {
                continue;
            }

            yield return KubeObject.Create("networking.k8s.io/v1", "NetworkPolicy", context.Metadata(name, context.Labels(name, "network-policy")),
                ("spec", Json.Obj(
                    ("podSelector", Json.Obj(("matchLabels", context.Selector(name)))),
                    ("policyTypes", Json.Arr("Ingress")),
                    ("ingress", Json.Arr(Json.Obj(
                        ("from", from),
                        ("ports", Json.Arr(Json.Obj(("protocol", "TCP"), ("port", Names.HttpPort))))))))));
        }
    }

    private static JsonObject Namespace(string name) =>
        Json.Obj(("namespaceSelector", Json.Obj(("matchLabels", Json.Obj(("kubernetes.io/metadata.name", name))))));
}
