using System.Text.Json.Nodes;

namespace Slipway.Control.Notifications;

/// <summary>
/// A receiver for people (Slack, webhook): hears about a group once, then on repeat, takes deploy events, and posts
/// the body <paramref name="payload"/> makes; the kinds differ only in that body.
/// </summary>
internal sealed class PayloadReceiver(string name, bool sendResolved, Func<string?> url, HttpClient http, Func<Notification, JsonNode> payload) : IAlertReceiver
{
    public string Name { get; } = name;

    public bool SendResolved { get; } = sendResolved;

    public bool ResendsEveryFlush => false;

    public bool TakesEvents => true;

    public Task SendAsync(Notification notification, CancellationToken cancellationToken) =>
        ReceiverHttp.PostAsync(http, url, payload(notification), cancellationToken);
}
