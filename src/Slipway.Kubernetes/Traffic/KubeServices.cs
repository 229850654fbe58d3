using Slipway.Core.Manifest.Model;
using Slipway.Kubernetes.Objects;
using Slipway.Kubernetes.Workloads;

namespace Slipway.Kubernetes.Traffic;

/// <summary>
/// The Services: one per service that something reaches (routes, an internal address, an upstream that aliases it) on
/// port 80; a canary's <c>-canary</c> and a blue-green's <c>-preview</c> beside it (Argo Rollouts narrows their
/// selectors to a revision's pods); and a headless <c>-metrics</c> Service over every pod of a service with
/// <c>metrics:</c> for the ServiceMonitor, which Argo leaves alone so no pod is scraped twice.
/// </summary>
internal static class KubeServices
{
    public static IEnumerable<KubeObject> Build(RenderContext context, string name, ServiceSpec service, bool reached)
    {
        if (reached || service.Deploy.Strategy != DeployStrategy.Rolling && PodTemplate.Serves(service))
        {
            yield return Service(context, name, name, "server");
            if (service.Deploy.Strategy == DeployStrategy.Canary && reached)
            {
                yield return Service(context, name, Names.Canary(name), "canary");
            }
            else if (service.Deploy.Strategy == DeployStrategy.BlueGreen)
            {
                yield return Service(context, name, Names.Preview(name), "preview");
            }
        }

        if (service.Metrics is not null)
        {
            yield return Service(context, name, Names.Metrics(name), "metrics", headless: true);
        }
    }

    private static KubeObject Service(RenderContext context, string service, string name, string component, bool headless = false) =>
        KubeObject.Create("v1", "Service", context.Metadata(name, context.Labels(service, component)),
            ("spec", Json.Obj(
                ("clusterIP", headless ? "None" : null),
                ("selector", context.Selector(service)),
                ("ports", Json.Arr(Json.Obj(("name", Names.HttpPort), ("port", headless ? context.Port : 80), ("targetPort", Names.HttpPort), ("protocol", "TCP")))))));
}
