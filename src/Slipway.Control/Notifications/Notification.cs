using Slipway.Control.Alerts;

namespace Slipway.Control.Notifications;

/// <summary>One message to one receiver: a group's alerts, or one deploy event (<see cref="IsEvent"/>).</summary>
/// <param name="GroupKey">Identifies the group across notifications, as Alertmanager's groupKey does.</param>
/// <param name="ExternalUrl">Where people can see more (the control API's alerts endpoint).</param>
internal sealed record Notification(
    string Receiver,
    string GroupKey,
    IReadOnlyDictionary<string, string> GroupLabels,
    IReadOnlyList<AlertInfo> Alerts,
    string ExternalUrl,
    DateTimeOffset SentAt,
    bool IsEvent = false)
{
    /// <summary><c>firing</c> while any alert fires, else <c>resolved</c>.</summary>
    public string Status => Alerts.Any(a => a.State == AlertState.Firing) ? "firing" : "resolved";

    /// <summary>The labels every alert has with the same value.</summary>
    public IReadOnlyDictionary<string, string> CommonLabels => Common(Alerts.Select(a => a.Labels));

    public IReadOnlyDictionary<string, string> CommonAnnotations => Common(Alerts.Select(a => a.Annotations));

    private static Dictionary<string, string> Common(IEnumerable<IReadOnlyDictionary<string, string>> sets)
    {
        Dictionary<string, string>? common = null;
        foreach (var set in sets)
        {
            common = common is null
                ? new Dictionary<string, string>(set, StringComparer.Ordinal)
                : common.Where(kv => set.TryGetValue(kv.Key, out var v) && v == kv.Value).ToDictionary(StringComparer.Ordinal);
        }

        return common ?? [];
    }
}
