using System.Text.Json.Nodes;
using Slipway.Control.Alerts;

namespace Slipway.Control.Notifications;

/// <summary>Alertmanager's webhook body (version 4), so anything written for Alertmanager's webhooks works unchanged.</summary>
internal static class WebhookPayload
{
    /// <summary>Alertmanager's "no end yet": the zero time.</summary>
    private const string ZeroTime = "0001-01-01T00:00:00Z";

    public static JsonObject For(Notification n)
    {
        var alerts = new JsonArray();
        foreach (var a in n.Alerts)
        {
            alerts.Add(new JsonObject
            {
                ["status"] = a.State == AlertState.Resolved ? "resolved" : "firing",
                ["labels"] = ReceiverHttp.Object(a.Labels),
                ["annotations"] = ReceiverHttp.Object(a.Annotations),
                ["startsAt"] = ReceiverHttp.Time(a.FiredAt ?? a.ActiveAt),
                ["endsAt"] = a.ResolvedAt is { } end ? ReceiverHttp.Time(end) : ZeroTime,
                ["generatorURL"] = n.ExternalUrl,
                ["fingerprint"] = a.Fingerprint,
            });
        }

        return new JsonObject
        {
            ["version"] = "4",
            ["groupKey"] = n.GroupKey,
            ["truncatedAlerts"] = 0,
            ["status"] = n.Status,
            ["receiver"] = n.Receiver,
            ["groupLabels"] = ReceiverHttp.Object(n.GroupLabels),
            ["commonLabels"] = ReceiverHttp.Object(n.CommonLabels),
            ["commonAnnotations"] = ReceiverHttp.Object(n.CommonAnnotations),
            ["externalURL"] = n.ExternalUrl,
            ["alerts"] = alerts,
        };
    }
}
