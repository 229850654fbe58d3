using System.Text.Json.Nodes;
using Slipway.Core.Alerting;
using Slipway.Kubernetes.Objects;

namespace Slipway.Kubernetes.Monitoring;

/// <summary>
/// The manifest's alert rules, built-ins expanded exactly as one machine expands them, as a Prometheus Operator
/// <c>PrometheusRule</c> over the cluster's metric names (<see cref="ClusterPromQl"/>). A rule the cluster has no series
/// for is left out with a note.
/// </summary>
internal static class ClusterRules
{
    public static KubeObject? Build(RenderContext context)
    {
        var alerts = context.Manifest.Alerts;
        if (alerts.Rules.Count == 0)
        {
            return null;
        }

        var promql = new ClusterPromQl(context);
        var rules = new JsonArray();
        for (var i = 0; i < alerts.Rules.Count; i++)
        {
            foreach (var rule in BuiltInRules.Expand(alerts.Rules[i]))
            {
                if (promql.Expression(rule.Expression, out var why) is not { } expr)
                {
                    context.Note($"alerts.rules[{i}]", $"{rule.Name}: {why}; left out of the PrometheusRule");
                    continue;
                }

                var labels = new SortedDictionary<string, string>(rule.Labels.ToDictionary(), StringComparer.Ordinal) { ["severity"] = rule.SeverityName };
                rules.Add(Json.Obj(
                    ("alert", rule.Name),
                    ("expr", expr),
                    ("for", rule.For > TimeSpan.Zero ? Names.PromDuration(rule.For) : null),
                    ("keep_firing_for", rule.KeepFiringFor > TimeSpan.Zero ? Names.PromDuration(rule.KeepFiringFor) : null),
                    ("labels", Json.Map(labels)),
                    ("annotations", Json.Map(rule.Annotations))));
            }
        }

        foreach (var key in new[] { "receivers", "routes", "inhibit" })
        {
            context.NoteIfWritten($"alerts.{key}", "is Slipway's own notification routing; in a cluster Alertmanager routes the PrometheusRule's alerts (configure it there); not rendered");
        }

        return KubeObject.Create("monitoring.coreos.com/v1", "PrometheusRule", context.Metadata(context.App, context.Labels(context.App, "alerts")),
            ("spec", Json.Obj(("groups", Json.Arr(Json.Obj(
                ("name", "slipway-" + context.App),
                ("interval", Names.PromDuration(alerts.Interval)),
                ("rules", rules)))))));
    }
}
