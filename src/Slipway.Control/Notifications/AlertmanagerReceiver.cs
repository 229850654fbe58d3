using System.Text.Json.Nodes;

namespace Slipway.Control.Notifications;

/// <summary>
/// Posts alerts to an Alertmanager's API v2 (<c>POST /api/v2/alerts</c>), so a team's Alertmanager keeps doing
/// the routing. A firing alert is sent with <c>endsAt</c> <see cref="Validity"/> ahead and sent again each group
/// interval (as Prometheus does); a resolved one with the time it resolved. Deploy events are not alerts and are not sent.
/// </summary>
internal sealed class AlertmanagerReceiver(string name, bool sendResolved, Func<string?> url, HttpClient http, TimeSpan validity) : IAlertReceiver
{
    public string Name { get; } = name;

    public bool SendResolved { get; } = sendResolved;

    public bool ResendsEveryFlush => true;

    public bool TakesEvents => false;

    /// <summary>How long Alertmanager should consider a firing alert alive without hearing of it again.</summary>
    public TimeSpan Validity { get; } = validity;

    public Task SendAsync(Notification notification, CancellationToken cancellationToken) =>
        ReceiverHttp.PostAsync(http, () => url() is { } u ? u.TrimEnd('/') + "/api/v2/alerts" : null, Payload(notification, Validity), cancellationToken);

    public static JsonArray Payload(Notification n, TimeSpan validity)
    {
        var alerts = new JsonArray();
        foreach (var a in n.Alerts)
        {
            var alert = new JsonObject
            {
                ["labels"] = ReceiverHttp.Object(a.Labels),
                ["annotations"] = ReceiverHttp.Object(a.Annotations),
                ["startsAt"] = ReceiverHttp.Time(a.FiredAt ?? a.ActiveAt),
                ["endsAt"] = ReceiverHttp.Time(a.ResolvedAt ?? n.SentAt + validity),
            };
            if (n.ExternalUrl.Length > 0)
            {
                alert["generatorURL"] = n.ExternalUrl;
            }

            alerts.Add(alert);
        }

        return alerts;
    }
}
