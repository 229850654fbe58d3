using Microsoft.Extensions.Logging;
using Slipway.Control.Alerts;
using Slipway.Control.State;
using Slipway.Control.Telemetry;
using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Notifications;

/// <summary>
/// Routes alerts to receivers as Alertmanager does: the first route whose <c>match</c> labels all match takes an
/// alert (later ones too while a route says <c>continue</c>; with no routes, every receiver does); alerts with equal
/// <c>groupBy</c> values form a group, told after <c>groupWait</c>, then at most every <c>groupInterval</c> when
/// it changes, and every <c>repeatInterval</c> while it fires; a group never told of firing is not told it resolved. Silenced and inhibited alerts are left out. A failed
/// delivery is retried with backoff; when all attempts fail, <see cref="ReceiverFailed"/> fires and the failure is
/// counted in <c>slipway_notifications_failed_total{receiver}</c>. Thread-safe.
/// </summary>
internal sealed class Notifier : IMetricsSource, IAsyncDisposable
{
    private readonly IReadOnlyList<(AlertRouteSpec Route, IAlertReceiver Receiver)> _routes;
    private readonly IReadOnlyList<IAlertReceiver> _receivers;
    private readonly SilenceStore _silences;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly NotifierOptions _options;
    private readonly IReadOnlyList<InhibitRuleSpec> _inhibit;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, AlertGroup> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AlertInfo> _firing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _sent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _failed = new(StringComparer.Ordinal);
    private readonly HashSet<Task> _deliveries = [];
    private readonly CancellationTokenSource _stopping = new();
    private ITimer? _timer;

    public Notifier(AlertsSpec spec, IReadOnlyList<IAlertReceiver> receivers, SilenceStore silences, TimeProvider time, ILogger logger, NotifierOptions? options = null)
    {
        _receivers = receivers;
        var byName = receivers.ToDictionary(r => r.Name, StringComparer.Ordinal);
        _routes = spec.Routes.Count > 0
            ? [.. spec.Routes.Where(r => byName.ContainsKey(r.Receiver)).Select(r => (r, byName[r.Receiver]))]
            : [.. receivers.Select(r => (new AlertRouteSpec { Receiver = r.Name, Continue = true }, r))];
        _silences = silences;
        _time = time;
        _logger = logger;
        _options = options ?? new NotifierOptions();
        _inhibit = spec.Inhibit;
        foreach (var receiver in receivers)
        {
            _sent[receiver.Name] = 0;
            _failed[receiver.Name] = 0;
        }
    }

    /// <summary>A notification could not be delivered after every attempt: receiver name, reason, and whether its URL was not set.</summary>
    public event Action<string, string, bool>? ReceiverFailed;

    public SilenceStore Silences => _silences;

    /// <summary>Where people see more (the control API's alerts endpoint); sent as externalURL and generatorURL.</summary>
    public string ExternalUrl { get; set; } = "";

    /// <summary>Checks groups every <see cref="NotifierOptions.Tick"/> from now on.</summary>
    public void Start() => _timer ??= _time.CreateTimer(_ => Flush(), null, _options.Tick, _options.Tick);

    /// <summary>Takes the engine's firing and just-resolved alerts (see <see cref="AlertEngine.Evaluated"/>).</summary>
    public void Update(IReadOnlyList<AlertInfo> alerts)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            foreach (var alert in alerts)
            {
                if (alert.State == AlertState.Firing)
                {
                    _firing[alert.Fingerprint] = alert;
                }
                else
                {
                    _firing.Remove(alert.Fingerprint);
                }

                foreach (var (route, receiver) in Matching(alert.Labels))
                {
                    var labels = route.GroupBy.Distinct(StringComparer.Ordinal).ToDictionary(l => l, l => alert.Labels.GetValueOrDefault(l, ""), StringComparer.Ordinal);
                    var key = $"{receiver.Name}:{{{string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}=\"{l.Value}\""))}}}";
                    if (!_groups.TryGetValue(key, out var group))
                    {
                        if (alert.State != AlertState.Firing)
                        {
                            continue;
                        }

                        _groups[key] = group = new AlertGroup(key, route, receiver, labels, now + route.GroupWait);
                    }

                    if (alert.State == AlertState.Firing || group.Alerts.ContainsKey(alert.Fingerprint))
                    {
                        group.Alerts[alert.Fingerprint] = alert;
                    }
                }
            }
        }
    }

    /// <summary>Sends a deploy event (kinds <c>rollout-*</c>) at once to the receivers its labels route to, unless silenced.</summary>
    public void Notify(EventRecord e)
    {
        if (!e.Kind.StartsWith("rollout-", StringComparison.Ordinal))
        {
            return;
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["alertname"] = "deploy", ["service"] = e.Service, ["event"] = e.Kind, ["severity"] = "info",
        };
        if (_silences.Silencing(labels) is not null)
        {
            return;
        }

        var alert = new AlertInfo("deploy", AlertState.Firing, labels, new Dictionary<string, string> { ["summary"] = e.Message }, 0, e.Time, e.Time, e.Time);
        lock (_lock)
        {
            foreach (var (_, receiver) in Matching(labels).Where(m => m.Receiver.TakesEvents).DistinctBy(m => m.Receiver.Name))
            {
                Start(receiver, new Notification(receiver.Name, $"deploy:{e.Service}", new Dictionary<string, string> { ["service"] = e.Service }, [alert], ExternalUrl, _time.GetUtcNow(), IsEvent: true), null);
            }
        }
    }

    /// <summary>Flushes every group that is due now; the timer calls this, tests may too.</summary>
    public void Flush()
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            foreach (var group in _groups.Values.ToList())
            {
                if (group.NextFlush > now || group.Sending)
                {
                    continue;
                }

                group.NextFlush = now + group.Route.GroupInterval;
                var firing = group.Alerts.Values.Where(a => a.State == AlertState.Firing && Muted(a) is null).ToList();
                var resolved = group.Receiver.SendResolved ? group.Alerts.Values.Where(a => a.State == AlertState.Resolved).ToList() : [];
                var due = group.Receiver.ResendsEveryFlush
                    || firing.Any(a => !group.LastFiring.Contains(a.Fingerprint))
                    || (group.LastSent is not null && resolved.Any(a => !group.LastResolved.Contains(a.Fingerprint)))
                    || (firing.Count > 0 && group.LastSent is { } last && now - last >= group.Route.RepeatInterval);
                if (!due || firing.Count + resolved.Count == 0)
                {
                    // Nothing to tell: resolved alerts here were told already, or belong to a group never told of them firing.
                    Forget(group, group.Alerts.Values);
                    continue;
                }

                Start(group.Receiver, new Notification(group.Receiver.Name, group.Key, group.Labels, [.. firing, .. resolved], ExternalUrl, now), group);
            }
        }
    }

    /// <summary>Why <paramref name="alert"/> is not being sent: a silence's id, <c>inhibited by NAME</c>, or null.</summary>
    public string? Muted(AlertInfo alert)
    {
        if (_silences.Silencing(alert.Labels) is { } silence)
        {
            return $"silenced by {silence.Id}";
        }

        lock (_lock)
        {
            return Inhibition.InhibitedBy(alert, _firing.Values, _inhibit) is { } source ? $"inhibited by {source.Name}" : null;
        }
    }

    /// <summary>Completes when every delivery started so far has ended (tests; shutdown).</summary>
    public Task IdleAsync()
    {
        lock (_lock)
        {
            return Task.WhenAll(_deliveries);
        }
    }

    public void WriteMetrics(MetricsWriter writer)
    {
        lock (_lock)
        {
            writer.Family("slipway_notifications_total", "counter", "Notifications delivered, per receiver.");
            foreach (var (receiver, count) in _sent.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                writer.Sample([new("receiver", receiver)], count);
            }

            writer.Family("slipway_notifications_failed_total", "counter", "Notifications not delivered after every retry, per receiver.");
            foreach (var (receiver, count) in _failed.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                writer.Sample([new("receiver", receiver)], count);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _timer?.Dispose();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await IdleAsync().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private IEnumerable<(AlertRouteSpec Route, IAlertReceiver Receiver)> Matching(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (route, receiver) in _routes)
        {
            if (route.Match.All(m => labels.GetValueOrDefault(m.Key, "") == m.Value))
            {
                yield return (route, receiver);
                if (!route.Continue)
                {
                    yield break;
                }
            }
        }
    }

    /// <summary>Drops the resolved alerts among <paramref name="told"/> (told, or not wanted by the receiver), and the group once empty.</summary>
    private void Forget(AlertGroup group, IEnumerable<AlertInfo> told)
    {
        foreach (var alert in told.Where(a => a.State == AlertState.Resolved).ToList())
        {
            if (group.Alerts.TryGetValue(alert.Fingerprint, out var current) && current.State == AlertState.Resolved)
            {
                group.Alerts.Remove(alert.Fingerprint);
            }
        }

        if (group.Alerts.Count == 0)
        {
            _groups.Remove(group.Key);
        }
    }

    private void Start(IAlertReceiver receiver, Notification notification, AlertGroup? group)
    {
        if (group is not null)
        {
            group.Sending = true;
        }

        var delivery = DeliverAsync(receiver, notification, group);
        _deliveries.Add(delivery);
        _ = delivery.ContinueWith(t =>
        {
            lock (_lock)
            {
                _deliveries.Remove(t);
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task DeliverAsync(IAlertReceiver receiver, Notification notification, AlertGroup? group)
    {
        await Task.Yield();
        var backoff = _options.FirstBackoff;
        var delivered = false;
        var unresolved = false;
        string reason = "";
        for (var attempt = 1; attempt <= _options.MaxAttempts && !_stopping.IsCancellationRequested; attempt++)
        {
            try
            {
                await receiver.SendAsync(notification, _stopping.Token).ConfigureAwait(false);
                delivered = true;
                break;
            }
            catch (ReceiverException e)
            {
                reason = e.Message;
                AlertsLog.DeliveryFailed(_logger, receiver.Name, attempt, e.Message);
                if (e.Unresolved)
                {
                    // No URL: another attempt a second later finds none either.
                    unresolved = true;
                    break;
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (attempt < _options.MaxAttempts)
            {
                try
                {
                    await Task.Delay(backoff, _time, _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                backoff = backoff * 2 > _options.MaxBackoff ? _options.MaxBackoff : backoff * 2;
            }
        }

        lock (_lock)
        {
            if (delivered)
            {
                _sent[receiver.Name]++;
            }
            else if (!_stopping.IsCancellationRequested)
            {
                _failed[receiver.Name]++;
            }

            if (group is not null)
            {
                group.Sending = false;
                if (delivered)
                {
                    group.LastFiring = [.. notification.Alerts.Where(a => a.State == AlertState.Firing).Select(a => a.Fingerprint)];
                    group.LastResolved = [.. notification.Alerts.Where(a => a.State == AlertState.Resolved).Select(a => a.Fingerprint)];
                    group.LastSent = notification.SentAt;
                    Forget(group, notification.Alerts);
                }
            }
        }

        if (!delivered && !_stopping.IsCancellationRequested)
        {
            var what = notification.IsEvent ? "a deploy event" : $"a notification of {notification.Alerts.Count} alert(s)";
            ReceiverFailed?.Invoke(receiver.Name, unresolved ? $"{what} was not sent: {reason}" : $"{what} was not delivered after {_options.MaxAttempts} attempts: {reason}", unresolved);
        }
    }
}
