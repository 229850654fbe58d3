using System.Globalization;
using Slipway.Control.Telemetry;
using Slipway.Core.Alerting;
using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Analysis;

/// <summary>
/// Checks the manifest's <c>deploy.analysis.metrics</c>: business metrics the applications serve, evaluated for the
/// new revision (and, for <c>maxOverStable</c>, the stable one) through <see cref="ApplicationQuery"/>, so they read
/// as the alert language's <c>app_*</c> functions do. A metric with no value yet (fewer than two scrapes in its
/// window, a ratio whose denominator has not moved) is inconclusive, never a pass.
/// </summary>
internal sealed class MetricAnalyzer
{
    private readonly List<(AnalysisMetricSpec Spec, AlertSelector Selector)> _metrics;

    /// <param name="metrics">Validated specs: their <c>expr</c> parses (the manifest loader made sure).</param>
    public MetricAnalyzer(IReadOnlyList<AnalysisMetricSpec> metrics) =>
        _metrics = [.. metrics.Select(m => AlertExpressionParser.TryParseSelector(m.Expr, out var selector, out var error)
            ? (m, selector!)
            : throw new ArgumentException($"deploy.analysis.metrics {m.Name}: {error}", nameof(metrics)))];

    public IReadOnlyList<AnalysisCheck> Evaluate(ApplicationMetricsStore store, string service, string canary, string stable, DateTimeOffset now)
    {
        var checks = new List<AnalysisCheck>(_metrics.Count);
        foreach (var (spec, selector) in _metrics)
        {
            var values = ApplicationQuery.Evaluate(store, selector, now).Where(v => v.Service == service).ToList();
            double? Of(string revision) => values.Where(v => v.Revision == revision).Select(v => (double?)v.Value).FirstOrDefault();
            checks.Add(Check(spec, Of(canary), Of(stable)));
        }

        return checks;
    }

    /// <summary>The proxy's checks and the metric checks as one result: any failure fails it; else any inconclusive check leaves it inconclusive.</summary>
    public static AnalysisResult Merge(AnalysisResult requests, IReadOnlyList<AnalysisCheck> metrics)
    {
        if (metrics.Count == 0)
        {
            return requests;
        }

        IReadOnlyList<AnalysisCheck> checks = [.. requests.Checks, .. metrics];
        var verdict = requests.Verdict == AnalysisVerdict.Fail || metrics.Any(c => c.Verdict == AnalysisVerdict.Fail) ? AnalysisVerdict.Fail
            : requests.Verdict == AnalysisVerdict.Inconclusive || metrics.Any(c => c.Verdict == AnalysisVerdict.Inconclusive) ? AnalysisVerdict.Inconclusive
            : AnalysisVerdict.Pass;
        return requests with { Verdict = verdict, Checks = checks };
    }

    private static AnalysisCheck Check(AnalysisMetricSpec spec, double? canary, double? stable)
    {
        if (canary is not { } value)
        {
            return new AnalysisCheck(spec.Name, AnalysisVerdict.Inconclusive, $"{spec.Name}: no value for the new revision yet ({spec.Expr})");
        }

        if (spec.Max is { } max && value > max)
        {
            return new AnalysisCheck(spec.Name, AnalysisVerdict.Fail, $"{spec.Name} {Number(value)} > max {Number(max)}");
        }

        if (spec.Min is { } min && value < min)
        {
            return new AnalysisCheck(spec.Name, AnalysisVerdict.Fail, $"{spec.Name} {Number(value)} < min {Number(min)}");
        }

        var vsStable = stable is { } s ? $" (stable {Number(s)})" : "";
        if (spec.MaxOverStable is { } over && stable is { } baseline && value - baseline > over)
        {
            return new AnalysisCheck(spec.Name, AnalysisVerdict.Fail, $"{spec.Name} {Number(value)} exceeds stable {Number(baseline)} by more than {Number(over)}");
        }

        var limits = string.Join(", ", new[] { spec.Max is { } a ? $"max {Number(a)}" : null, spec.Min is { } b ? $"min {Number(b)}" : null }.OfType<string>());
        return new AnalysisCheck(spec.Name, AnalysisVerdict.Pass, $"{spec.Name} {Number(value)}{vsStable}" + (limits.Length > 0 ? $" within {limits}" : ""));
    }

    private static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
