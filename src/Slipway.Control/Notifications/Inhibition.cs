using Slipway.Control.Alerts;

namespace Slipway.Control.Notifications;

/// <summary>
/// The built-in inhibition rule: while a critical alert fires for a service, that service's warning and info
/// alerts are not sent (the page says it already). The source must carry a non-empty <c>service</c> label, so a
/// critical backup alert does not mute every alert without one.
/// </summary>
internal static class Inhibition
{
    public static AlertInfo? InhibitedBy(AlertInfo target, IEnumerable<AlertInfo> firing)
    {
        if (target.Severity is not ("warning" or "info") || !target.Labels.TryGetValue("service", out var service))
        {
            return null;
        }

        return firing.FirstOrDefault(source => source.State == AlertState.Firing && source.Severity == "critical"
            && source.Labels.TryGetValue("service", out var s) && s.Length > 0 && s == service);
    }
}
