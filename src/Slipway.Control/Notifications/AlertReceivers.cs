using Slipway.Core.Manifest.Model;
using Slipway.Core.Primitives;

namespace Slipway.Control.Notifications;

/// <summary>The manifest's <c>alerts.receivers</c> as <see cref="IAlertReceiver"/>s, by kind.</summary>
internal static class AlertReceivers
{
    /// <param name="resolve">Turns <c>env:</c>/<c>secret:</c> references into URLs; called at each send, so a secret set later is used.</param>
    public static IReadOnlyList<IAlertReceiver> FromSpec(AlertsSpec alerts, Func<ValueReference, string?> resolve, HttpClient http)
    {
        var receivers = new List<IAlertReceiver>();
        foreach (var (name, spec) in alerts.Receivers.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            if (spec.Slack is { } slack)
            {
                receivers.Add(new PayloadReceiver(name, spec.SendResolved, () => resolve(slack), http, SlackPayload.For));
            }
            else if (spec.Webhook is { } webhook)
            {
                receivers.Add(new PayloadReceiver(name, spec.SendResolved, () => resolve(webhook), http, WebhookPayload.For));
            }
            else if (spec.Alertmanager is { } alertmanager)
            {
                // Resent every group interval; four intervals without news and Alertmanager resolves it itself.
                var intervals = alerts.Routes.Where(r => r.Receiver == name).Select(r => r.GroupInterval).DefaultIfEmpty(new AlertRouteSpec().GroupInterval);
                receivers.Add(new AlertmanagerReceiver(name, spec.SendResolved, () => resolve(alertmanager), http, 4 * intervals.Max()));
            }
        }

        return receivers;
    }
}
