using Slipway.Core.Alerting;

namespace Slipway.Control.Alerts;

/// <summary>
/// One rule's alerts across evaluations, with Prometheus' state machine: a label set whose condition holds
/// becomes pending; it fires once it has held for <c>for</c> (at once when <c>for</c> is 0); when the condition
/// stops holding a pending alert is dropped silently and a firing one resolves — unless <c>keepFiringFor</c> is
/// set, which keeps it firing that long after the condition last held. Not thread-safe: the engine serializes.
/// </summary>
internal sealed class RuleStates(AlertRule rule)
{
    private readonly Dictionary<string, ActiveAlert> _active = new(StringComparer.Ordinal);

    public AlertRule Rule { get; } = rule;

    /// <summary>
    /// Applies one evaluation at <paramref name="now"/>: <paramref name="samples"/> are the label sets for which
    /// the condition holds. Returns the pending and firing alerts, plus those that resolved in this evaluation.
    /// </summary>
    public IReadOnlyList<AlertInfo> Apply(IReadOnlyList<AlertSample> samples, DateTimeOffset now)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sample in samples)
        {
            var labels = LabelsOf(sample);
            var fingerprint = AlertFingerprint.Of(labels);
            if (!seen.Add(fingerprint))
            {
                continue;
            }

            if (!_active.TryGetValue(fingerprint, out var alert))
            {
                alert = new ActiveAlert(labels, now);
                _active[fingerprint] = alert;
            }

            alert.Value = sample.Value;
            alert.KeepFiringSince = null;
            alert.Annotations = Rule.Annotations.ToDictionary(a => a.Key, a => AlertTemplate.Render(a.Value, labels, sample.Value), StringComparer.Ordinal);
        }

        var result = new List<AlertInfo>();
        foreach (var (fingerprint, alert) in _active.ToList())
        {
            if (!seen.Contains(fingerprint))
            {
                if (alert.State == AlertState.Firing && Rule.KeepFiringFor > TimeSpan.Zero)
                {
                    alert.KeepFiringSince ??= now;
                    if (now - alert.KeepFiringSince < Rule.KeepFiringFor)
                    {
                        result.Add(alert.Snapshot(Rule.Name, AlertState.Firing));
                        continue;
                    }
                }

                _active.Remove(fingerprint);
                if (alert.State == AlertState.Firing)
                {
                    result.Add(alert.Snapshot(Rule.Name, AlertState.Resolved, now));
                }

                continue;
            }

            if (alert.State == AlertState.Pending && now - alert.ActiveAt >= Rule.For)
            {
                alert.State = AlertState.Firing;
                alert.FiredAt = now;
            }

            result.Add(alert.Snapshot(Rule.Name, alert.State));
        }

        return result;
    }

    private Dictionary<string, string> LabelsOf(AlertSample sample)
    {
        var labels = new Dictionary<string, string>(sample.Labels, StringComparer.Ordinal);
        foreach (var (k, v) in Rule.Labels)
        {
            labels[k] = v;
        }

        labels["alertname"] = Rule.Name;
        labels["severity"] = Rule.SeverityName;
        return labels;
    }
}
