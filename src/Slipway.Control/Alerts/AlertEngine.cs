using Microsoft.Extensions.Logging;
using Slipway.Control.Telemetry;
using Slipway.Core.Alerting;

namespace Slipway.Control.Alerts;

/// <summary>
/// Evaluates every rule every <see cref="Interval"/> on the injected <see cref="TimeProvider"/> and keeps the
/// pending and firing alerts. After each evaluation <see cref="Evaluated"/> receives the alerts that are firing or
/// resolved just then (the notifier's input). Writes <c>slipway_alerts_firing{alertname,severity}</c>.
/// </summary>
internal sealed class AlertEngine : IMetricsSource, IDisposable
{
    private readonly IReadOnlyList<RuleStates> _rules;
    private readonly AlertEvaluator _evaluator;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private IReadOnlyList<AlertInfo> _current = [];
    private ITimer? _timer;

    public AlertEngine(IReadOnlyList<AlertRule> rules, AlertInputs inputs, TimeProvider time, TimeSpan interval, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _rules = [.. rules.Select(r => new RuleStates(r))];
        _evaluator = new AlertEvaluator(inputs, rules, time);
        _time = time;
        Interval = interval;
        _logger = logger;
    }

    public TimeSpan Interval { get; }

    /// <summary>Called after every evaluation, on the evaluating thread, with the firing and just-resolved alerts.</summary>
    public event Action<IReadOnlyList<AlertInfo>>? Evaluated;

    /// <summary>The pending and firing alerts after the latest evaluation.</summary>
    public IReadOnlyList<AlertInfo> Current
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    /// <summary>Evaluates every <see cref="Interval"/> from now on (the first evaluation one interval from now).</summary>
    public void Start() => _timer ??= _time.CreateTimer(_ => Evaluate(), null, Interval, Interval);

    /// <summary>One evaluation of every rule at the current time; returns the pending, firing and just-resolved alerts.</summary>
    public IReadOnlyList<AlertInfo> Evaluate()
    {
        List<AlertInfo> all;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            _evaluator.Observe();
            all = [];
            foreach (var rule in _rules)
            {
                IReadOnlyList<AlertSample> samples;
                try
                {
                    samples = _evaluator.Evaluate(rule.Rule.Expression);
                }
                catch (Exception e) when (e is IOException or InvalidOperationException or ArgumentException or UnauthorizedAccessException)
                {
                    // A rule that cannot be evaluated keeps its alerts as they were rather than resolving them.
                    AlertsLog.EvaluationFailed(_logger, rule.Rule.Name, e.Message);
                    continue;
                }

                var previous = _current.Where(a => a.Name == rule.Rule.Name).ToDictionary(a => a.Fingerprint, a => a.State, StringComparer.Ordinal);
                foreach (var alert in rule.Apply(samples, now))
                {
                    all.Add(alert);
                    if (!previous.TryGetValue(alert.Fingerprint, out var before) || before != alert.State)
                    {
                        AlertsLog.Transition(_logger, alert.Name, alert.State.ToString().ToLowerInvariant(), string.Join(",", alert.Labels.Select(l => $"{l.Key}={l.Value}")));
                    }
                }
            }

            _current = [.. all.Where(a => a.State != AlertState.Resolved)];
        }

        Evaluated?.Invoke([.. all.Where(a => a.State != AlertState.Pending)]);
        return all;
    }

    public void WriteMetrics(MetricsWriter writer)
    {
        var current = Current;
        writer.Family("slipway_alerts_firing", "gauge", "Alerts firing now, per rule and severity.");
        foreach (var (name, severity) in _rules.Select(r => (r.Rule.Name, r.Rule.SeverityName)).Distinct())
        {
            var firing = current.Count(a => a.Name == name && a.Severity == severity && a.State == AlertState.Firing);
            writer.Sample([new("alertname", name), new("severity", severity)], firing);
        }
    }

    public void Dispose() => _timer?.Dispose();
}
