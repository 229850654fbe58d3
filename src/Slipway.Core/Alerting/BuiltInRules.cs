using Slipway.Core.Manifest.Model;

namespace Slipway.Core.Alerting;

/// <summary>
/// The rules named in <see cref="AlertRuleSpec.BuiltIn"/>, and how a manifest's rules become <see cref="AlertRule"/>s:
/// whatever the manifest writes (<c>expr</c>, <c>for</c>, <c>severity</c>, labels, annotations) wins over the
/// built-in's value. docs/operations.md lists the same defaults.
/// </summary>
internal static class BuiltInRules
{
    private sealed record Definition(string Expr, TimeSpan For, Severity Severity, string Summary, IReadOnlyDictionary<string, string>? Labels = null);

    private static readonly Dictionary<string, Definition[]> Definitions = new(StringComparer.Ordinal)
    {
        ["high-error-rate"] = [new("error_ratio[5m] > 5%", TimeSpan.FromMinutes(5), Severity.Critical, "{{ $labels.service }} answers {{ $value }} of requests with 5xx")],
        ["high-latency"] = [new("quantile(0.95)[5m] > 2s", TimeSpan.FromMinutes(5), Severity.Warning, "{{ $labels.service }} p95 latency is {{ $value }}s")],
        ["instance-down"] = [new("instance_ready == 0", TimeSpan.FromMinutes(1), Severity.Critical, "{{ $labels.instance }} of {{ $labels.service }} is not ready")],
        ["crash-looping"] = [new("crash_looping == 1", TimeSpan.Zero, Severity.Critical, "{{ $labels.instance }} of {{ $labels.service }} keeps crashing")],
        ["high-memory"] = [new("instance_memory_ratio > 90%", TimeSpan.FromMinutes(10), Severity.Warning, "{{ $labels.instance }} uses {{ $value }} of its memory limit")],
        ["high-cpu"] = [new("instance_cpu_ratio > 90%", TimeSpan.FromMinutes(10), Severity.Warning, "{{ $labels.instance }} uses {{ $value }} of its CPU")],
        ["backup-stale"] = [new("backup_age > 26h", TimeSpan.Zero, Severity.Warning, "backup {{ $labels.backup }} last succeeded {{ $value }}s ago")],
        ["backup-failed"] = [new("backup_failed == 1", TimeSpan.Zero, Severity.Critical, "the latest backup of {{ $labels.backup }} failed")],
        ["job-failed"] = [new("job_failed == 1", TimeSpan.Zero, Severity.Warning, "the latest run of job {{ $labels.job_name }} failed")],
        ["certificate-expiring"] = [new("certificate_expiry < 14d", TimeSpan.Zero, Severity.Warning, "{{ $labels.certificate }} expires in {{ $value }}s")],

        // The Google SRE workbook's multi-window, multi-burn-rate pair: 2 % of a 30-day budget in an hour pages,
        // 5 % in six hours makes a ticket; the short window makes the alert stop soon after the burning does.
        ["slo-burn-rate"] =
        [
            new("burn_rate[1h] > 14.4 and burn_rate[5m] > 14.4", TimeSpan.FromMinutes(2), Severity.Critical,
                "{{ $labels.service }} burns its error budget {{ $value }}x too fast", new Dictionary<string, string> { ["window"] = "fast" }),
            new("burn_rate[6h] > 6 and burn_rate[30m] > 6", TimeSpan.FromMinutes(15), Severity.Warning,
                "{{ $labels.service }} burns its error budget {{ $value }}x too fast", new Dictionary<string, string> { ["window"] = "slow" }),
        ],
    };

    /// <summary>The rules of a manifest, built-ins expanded.</summary>
    public static IReadOnlyList<AlertRule> Expand(AlertsSpec alerts)
    {
        var rules = new List<AlertRule>();
        foreach (var spec in alerts.Rules)
        {
            rules.AddRange(Expand(spec));
        }

        return rules;
    }

    public static IEnumerable<AlertRule> Expand(AlertRuleSpec spec)
    {
        if (spec.Expr is { } expr)
        {
            yield return Build(spec, AlertExpressionParser.Parse(expr), TimeSpan.Zero, Severity.Warning, null, null);
            yield break;
        }

        if (!Definitions.TryGetValue(spec.Name, out var definitions))
        {
            yield break;
        }

        foreach (var d in definitions)
        {
            yield return Build(spec, AlertExpressionParser.Parse(d.Expr), d.For, d.Severity, d.Summary, d.Labels);
        }
    }

    private static AlertRule Build(AlertRuleSpec spec, AlertExpression expression, TimeSpan defaultFor, Severity defaultSeverity, string? summary, IReadOnlyDictionary<string, string>? builtInLabels)
    {
        var labels = new Dictionary<string, string>(builtInLabels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (k, v) in spec.Labels)
        {
            labels[k] = v;
        }

        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        if (summary is not null)
        {
            annotations["summary"] = summary;
        }

        foreach (var (k, v) in spec.Annotations)
        {
            annotations[k] = v;
        }

        return new AlertRule(spec.Name, expression, spec.For ?? defaultFor, spec.KeepFiringFor ?? TimeSpan.Zero, spec.Severity ?? defaultSeverity, labels, annotations);
    }
}
