using System.Text.Json.Nodes;
using Slipway.Core.Alerting;
using Slipway.Core.Manifest.Model;
using Slipway.Kubernetes.Monitoring;
using Slipway.Kubernetes.Objects;

namespace Slipway.Kubernetes.Analysis;

/// <summary>
/// A service's <c>deploy.analysis</c> as an Argo Rollouts <c>AnalysisTemplate</c> with a Prometheus provider: one
/// metric per check of the local analyzer, each measured every <c>interval</c> over the last <c>interval</c>. Latency
/// checks start after <c>warmup</c> (<c>initialDelay</c>). Slipway rolls back after <c>failureLimit</c> failures in a
/// row; Argo counts failures in all and fails past its <c>failureLimit</c>, so the limit is one less.
/// </summary>
internal static class AnalysisTemplates
{
    /// <summary>The template a canary runs in the background, or a blue-green rollout after promotion (<paramref name="stable"/> null).</summary>
    /// <param name="measured">The Kubernetes Service whose requests are the new revision's.</param>
    /// <param name="stable">The stable Service a canary is compared to; null after a blue-green promotion (nothing to compare).</param>
    /// <param name="count">How many measurements (a blue-green warm period); null to run until the rollout ends.</param>
    public static KubeObject Build(RenderContext context, string name, ServiceSpec service, string measured, string? stable, int? count)
    {
        var spec = service.Deploy.Analysis;
        var path = $"services.{name}.deploy.analysis";
        if (spec.Interval < TimeSpan.FromMinutes(1))
        {
            context.Note($"{path}.interval", $"is {Names.GoDuration(spec.Interval)}: each measurement reads the last {Names.GoDuration(spec.Interval)}, so the cluster's Prometheus must scrape the router at least twice in it; at the usual 30s a window holds no requests and every measurement passes (use 1m or more)");
        }

        var queries = new AnalysisQueries(RequestMetricNames.For(context.RequestMetrics), context.Namespace, spec.Interval, spec.MinRequests);
        var metrics = new JsonArray
        {
            Metric(context, spec, "error-rate", queries.ErrorRate(measured), $"result[0] <= {YamlWriter.Number(spec.MaxErrorRate.Fraction)}", count),
        };

        if (stable is not null && spec.CompareToStable)
        {
            metrics.Add(Metric(context, spec, "error-rate-vs-stable", queries.ErrorRateAboveStable(measured, stable, spec.MaxErrorRate.Fraction / 2), "result[0] == 0", count));
            context.Note($"{path}.compareToStable",
                "compares error rates with stable as on one machine (the same z-test); the latency comparison (Mann-Whitney on the histograms) has no PromQL form and is left out");
        }

        foreach (var (key, q, limit) in new[] { ("p95", 0.95, spec.MaxP95), ("p99", 0.99, spec.MaxP99) })
        {
            if (limit is { } max)
            {
                metrics.Add(Metric(context, spec, key, queries.Quantile(measured, q), $"result[0] <= {YamlWriter.Number(max.TotalSeconds)}", count, spec.Warmup));
            }
        }

        var promql = new ClusterPromQl(context);
        foreach (var metric in spec.Metrics)
        {
            AppMetric(context, spec, promql, name, metric, stable is not null, count, metrics);
        }

        var args = spec.Metrics.Count == 0 ? null : Json.Arr(
            Json.Obj(("name", "canary-hash")),
            stable is null ? null : Json.Obj(("name", "stable-hash")));
        return KubeObject.Create("argoproj.io/v1alpha1", "AnalysisTemplate",
            context.Metadata(Names.Analysis(name), context.Labels(name, "analysis")),
            ("spec", Json.Obj(("args", args), ("metrics", metrics))));
    }

    /// <summary>The arguments a Rollout passes the template: the pod-template hashes its application series are relabelled with.</summary>
    public static JsonArray? Args(ServiceSpec service, bool withStable) => service.Deploy.Analysis.Metrics.Count == 0 ? null : Json.Arr(
        Json.Obj(("name", "canary-hash"), ("valueFrom", Json.Obj(("podTemplateHashValue", "Latest")))),
        withStable ? Json.Obj(("name", "stable-hash"), ("valueFrom", Json.Obj(("podTemplateHashValue", "Stable")))) : null);

    /// <summary>
    /// An application metric's checks, each a metric answering 1 when the new revision breaks it and 0 otherwise (also
    /// while it has no value yet, which one machine calls inconclusive and does not count).
    /// </summary>
    private static void AppMetric(RenderContext context, AnalysisSpec spec, ClusterPromQl promql, string service, AnalysisMetricSpec metric, bool hasStable, int? count, JsonArray metrics)
    {
        var selector = AlertExpressionParser.TryParseSelector(metric.Expr, out var parsed, out _) ? parsed! : throw new InvalidOperationException("validated");
        string Of(string hash) => promql.Selector(selector with
        {
            Matchers = [.. selector.Matchers, new LabelMatcher("service", service, true), new LabelMatcher("revision", hash, true)],
        }, out _)!;
        var canary = Of("{{args.canary-hash}}");
        void Check(string suffix, string breaks) =>
            metrics.Add(Metric(context, spec, $"{metric.Name}-{suffix}", $"({breaks}) or on() vector(0)", "result[0] == 0", count));

        if (metric.Max is { } max)
        {
            Check("max", $"{canary} > bool {YamlWriter.Number(max)}");
        }

        if (metric.Min is { } min)
        {
            Check("min", $"{canary} < bool {YamlWriter.Number(min)}");
        }

        if (metric.MaxOverStable is { } over)
        {
            if (hasStable)
            {
                Check("vs-stable", $"({canary} - ignoring(revision) {Of("{{args.stable-hash}}")}) > bool {YamlWriter.Number(over)}");
            }
            else
            {
                context.Note($"services.{service}.deploy.analysis.metrics", $"{metric.Name}: maxOverStable is not checked after a blue-green promotion, as on one machine (stable takes no traffic then)");
            }
        }
    }

    private static JsonObject Metric(RenderContext context, AnalysisSpec spec, string name, string query, string success, int? count, TimeSpan? initialDelay = null) => Json.Obj(
        ("name", name),
        ("initialDelay", initialDelay is { } delay && delay > TimeSpan.Zero ? Names.GoDuration(delay) : null),
        ("interval", Names.GoDuration(spec.Interval)),
        ("count", count),
        ("successCondition", success),
        ("failureLimit", spec.FailureLimit - 1),
        ("provider", Json.Obj(("prometheus", Json.Obj(
            ("address", context.Kubernetes.Prometheus.Address),
            ("query", query))))));

    /// <summary>Measurements in a blue-green warm period: one every interval until the old set scales down.</summary>
    public static int WarmCount(DeploySpec deploy) =>
        Math.Max(1, (int)(deploy.ScaleDownDelay.Ticks / Math.Max(1, deploy.Analysis.Interval.Ticks)));
}
