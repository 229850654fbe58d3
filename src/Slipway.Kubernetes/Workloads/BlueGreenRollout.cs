using System.Text.Json.Nodes;
using Slipway.Core.Manifest.Model;
using Slipway.Kubernetes.Analysis;
using Slipway.Kubernetes.Objects;

namespace Slipway.Kubernetes.Workloads;

/// <summary>
/// Blue-green as an Argo Rollouts <c>Rollout</c>: the new set starts beside the old behind <c>web-preview</c>; the
/// pre-promotion analysis runs the hooks and smoke checks against it; then one switch of <c>web</c> (the active
/// Service), automatic or by <c>kubectl argo rollouts promote</c>. The old set stays up <c>scaleDownDelay</c> while the
/// post-promotion analysis judges the new one against the fixed limits (stable takes no traffic to compare with), as
/// one machine's warm period does; a failure there switches back.
/// </summary>
internal static class BlueGreenRollout
{
    public static IEnumerable<KubeObject> Build(RenderContext context, string name, ServiceSpec service, JsonObject template, ContainerEnv env, string? configMap)
    {
        var deploy = service.Deploy;
        JsonObject? pre = null;
        var steps = HookJobs.PreTrafficSteps(context, name, service, env, configMap, Names.Preview(name));
        if (steps.Count > 0)
        {
            yield return HookJobs.Template(context, name, Names.PreTraffic(name), steps);
            pre = Json.Obj(("templates", Json.Arr(Json.Obj(("templateName", Names.PreTraffic(name))))));
        }

        JsonObject? post = null;
        if (deploy.ScaleDownDelay > TimeSpan.Zero)
        {
            yield return AnalysisTemplates.Build(context, name, service, name, stable: null, AnalysisTemplates.WarmCount(deploy));
            post = ServiceWorkloads.AnalysisRef(service, Names.Analysis(name), withStable: false);
        }

        var blueGreen = Json.Obj(
            ("activeService", name),
            ("previewService", Names.Preview(name)),
            ("autoPromotionEnabled", deploy.AutoPromote),
            ("scaleDownDelaySeconds", Names.Seconds(deploy.ScaleDownDelay)),
            ("prePromotionAnalysis", pre),
            ("postPromotionAnalysis", post));
        yield return KubeObject.Create("argoproj.io/v1alpha1", "Rollout", ServiceWorkloads.Metadata(context, name, service),
            ("spec", Json.Obj(
            [
                .. ServiceWorkloads.CommonSpec(context, name, service, template),
                ("progressDeadlineAbort", true),
                ("strategy", Json.Obj(("blueGreen", blueGreen))),
            ])));
    }
}
