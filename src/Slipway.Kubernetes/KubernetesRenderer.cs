using Slipway.Core.Manifest.Binding;
using Slipway.Core.Manifest.Model;
using Slipway.Kubernetes.Backups;
using Slipway.Kubernetes.Configuration;
using Slipway.Kubernetes.Monitoring;
using Slipway.Kubernetes.Objects;
using Slipway.Kubernetes.Scaling;
using Slipway.Kubernetes.Traffic;
using Slipway.Kubernetes.Workloads;

namespace Slipway.Kubernetes;

/// <summary>
/// Renders a valid manifest as the objects a cluster runs it with: Kubernetes core objects, Argo Rollouts for canary
/// and blue-green, the Gateway API (or ingress-nginx), Prometheus Operator monitors and rules. The same manifest gives
/// the same bytes. What has no faithful equivalent is a <see cref="RenderNote"/>; a service Slipway runs without an
/// <c>image</c> is an error and nothing is rendered.
/// </summary>
internal static class KubernetesRenderer
{
    /// <summary>The files, in the order <c>kubectl apply -f DIR</c> applies them (by name), so the Namespace comes first.</summary>
    private static readonly string[] KindOrder =
    [
        "Namespace", "ServiceAccount", "ConfigMap", "ExternalSecret", "PersistentVolumeClaim", "Service", "AnalysisTemplate",
        "Deployment", "Rollout", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy", "HTTPRoute", "Ingress",
        "ServiceMonitor", "PrometheusRule", "CronJob",
    ];

    /// <param name="map">Where each key was written, so notes name only keys the user wrote; null to note only what always differs.</param>
    public static KubernetesRender Render(AppManifest manifest, SourceMap? map = null)
    {
        var context = new RenderContext(manifest, map);
        foreach (var (name, service) in context.RunServices)
        {
            if (service.Image is null)
            {
                context.Error($"services.{name}", $"has no `image`: a cluster runs containers; add e.g. `image: registry.example.com/{name}:${{VERSION}}`");
            }

            foreach (var derived in new[] { Names.Canary(name), Names.Preview(name), Names.Metrics(name), Names.Analysis(name), Names.PreTraffic(name) })
            {
                if (derived.Length > Names.MaxLabel)
                {
                    context.Error($"services.{name}", $"is too long a name for a cluster: {derived} would be over {Names.MaxLabel} characters");
                    break;
                }
            }
        }

        if (context.Errors.Count > 0)
        {
            return new KubernetesRender([], context.Notes, context.Errors);
        }

        var objects = new List<KubeObject> { AppObjects.Namespace(context), AppObjects.ServiceAccount(context) };
        if (AppObjects.ExternalSecret(context) is { } external)
        {
            objects.Add(external);
        }

        var hooks = new List<(string Service, KubeObject Job)>();
        var backends = Routing.Backends(context);
        var routed = new HashSet<string>(backends.Where(b => context.Manifest.Services[b.Key].Routes.Count > 0).Select(b => b.Value), StringComparer.Ordinal);
        var reached = new HashSet<string>(routed.Concat(backends.Where(b => b.Key != b.Value).Select(b => b.Value)), StringComparer.Ordinal);
        foreach (var (name, service) in context.RunServices)
        {
            objects.AddRange(KubeServices.Build(context, name, service, reached.Contains(name) || service.Internal is not null));
            objects.AddRange(ServiceWorkloads.Build(context, name, service, routed.Contains(name)));
            var env = ContainerEnv.Build(context, name, service, service.Deploy.Strategy == DeployStrategy.Rolling ? "pod-template-hash" : "rollouts-pod-template-hash");
            var configMap = objects.FirstOrDefault(o => o.Kind == "ConfigMap" && o.Name.StartsWith(name + "-env-", StringComparison.Ordinal))?.Name;
            hooks.AddRange(HookJobs.ManualJobs(context, name, service, env, configMap).Select(j => (name, j)));
            AddIfAny(objects, Autoscalers.Autoscaler(context, name, service));
            AddIfAny(objects, Autoscalers.DisruptionBudget(context, name, service));
            objects.AddRange(context.Kubernetes.Traffic == TrafficApi.Gateway
                ? HttpRoutes.Build(context, backends, name, service)
                : Ingresses.Build(context, backends, name, service));
            AddIfAny(objects, ServiceMonitors.Build(context, name, service));
        }

        objects.AddRange(NetworkPolicies.Build(context, routed));
        AddIfAny(objects, ClusterRules.Build(context));
        objects.AddRange(BackupJobs.Build(context));
        EdgeNotes.Add(context);
        OneMachineNotes.Add(context);

        var files = objects
            .GroupBy(o => o.Kind)
            .OrderBy(g => Array.IndexOf(KindOrder, g.Key))
            .Select(g => new RenderedFile($"{Array.IndexOf(KindOrder, g.Key):00}-{g.Key.ToLowerInvariant()}.yaml", [.. g]))
            .Concat(hooks.Select(h => new RenderedFile($"{KubernetesRender.HooksFolder}/{h.Job.Name}.yaml", [h.Job])))
            .ToList();
        return new KubernetesRender(files, context.Notes, context.Errors);
    }

    private static void AddIfAny(List<KubeObject> objects, KubeObject? obj)
    {
        if (obj is not null)
        {
            objects.Add(obj);
        }
    }
}
