using Slipway.Control.Alerts;
using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Notifications;

/// <summary>
/// Inhibition as Alertmanager defines it, over <c>alerts.inhibit</c> (by default: while a critical alert fires for a
/// service, that service's warning and info alerts are not sent; the page says it already). Unlike Alertmanager,
/// an <c>equal</c> label must be present and non-empty on the source, so a critical backup alert (no service label)
/// does not mute every alert without one.
/// </summary>
internal static class Inhibition
{
    public static AlertInfo? InhibitedBy(AlertInfo target, IEnumerable<AlertInfo> firing, IReadOnlyList<InhibitRuleSpec> rules)
    {
        foreach (var rule in rules)
        {
            if (!Matches(target, rule.Target))
            {
                continue;
            }

            var source = firing.FirstOrDefault(source => source.State == AlertState.Firing && source.Fingerprint != target.Fingerprint
                && Matches(source, rule.Source)
                && rule.Equal.All(label => source.Labels.TryGetValue(label, out var value) && value.Length > 0 && target.Labels.GetValueOrDefault(label) == value));
            if (source is not null)
            {
                return source;
            }
        }

        return null;
    }

    private static bool Matches(AlertInfo alert, IReadOnlyDictionary<string, string> labels) =>
        labels.All(l => alert.Labels.GetValueOrDefault(l.Key, "") == l.Value);
}
