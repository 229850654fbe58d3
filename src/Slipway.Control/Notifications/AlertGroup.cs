using Slipway.Control.Alerts;
using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Notifications;

/// <summary>
/// Alertmanager's aggregation group: the alerts of one route with equal <c>groupBy</c> label values, and what
/// was last told to the receiver about them. Guarded by the notifier's lock.
/// </summary>
internal sealed class AlertGroup(string key, AlertRouteSpec route, IAlertReceiver receiver, IReadOnlyDictionary<string, string> labels, DateTimeOffset firstFlush)
{
    public string Key { get; } = key;

    public AlertRouteSpec Route { get; } = route;

    public IAlertReceiver Receiver { get; } = receiver;

    public IReadOnlyDictionary<string, string> Labels { get; } = labels;

    /// <summary>By fingerprint: firing alerts, and resolved ones not yet told.</summary>
    public Dictionary<string, AlertInfo> Alerts { get; } = new(StringComparer.Ordinal);

    /// <summary>Group wait after creation, then every group interval.</summary>
    public DateTimeOffset NextFlush { get; set; } = firstFlush;

    /// <summary>Firing fingerprints in the last delivered notification.</summary>
    public HashSet<string> LastFiring { get; set; } = new(StringComparer.Ordinal);

    public HashSet<string> LastResolved { get; set; } = new(StringComparer.Ordinal);

    public DateTimeOffset? LastSent { get; set; }

    /// <summary>A delivery (with its retries) is under way; the group is not flushed again until it ends.</summary>
    public bool Sending { get; set; }
}
