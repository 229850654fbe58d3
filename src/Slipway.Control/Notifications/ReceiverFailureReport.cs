using System.Globalization;

namespace Slipway.Control.Notifications;

/// <summary>
/// What the terminal hears of receivers that fail: a receiver's first failure at once, then at most one line per
/// <see cref="Interval"/> saying how many more there were, so a broken webhook during a canary is a few lines rather
/// than most of them. A receiver whose URL is not set is said once (at start, by <see cref="Unset"/>) and never again
/// while it stays unset. Every failure is still counted in <c>slipway_notifications_failed_total</c>.
/// </summary>
internal sealed class ReceiverFailureReport
{
    private readonly TimeProvider _time;
    private readonly Action<string> _say;
    private readonly Dictionary<string, (DateTimeOffset Said, int Since)> _receivers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unset = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public ReceiverFailureReport(TimeProvider time, Action<string> say)
    {
        _time = time;
        _say = say;
    }

    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>At start: the receiver has no URL now; its notifications are counted as failed, not said, until it has one.</summary>
    public void Unset(string receiver, string reference)
    {
        lock (_lock)
        {
            _unset.Add(receiver);
        }

        _say($"receiver {receiver}: its URL ({reference}) is not set, so nothing is sent to it until it is (set it and the next notification goes out); each one not sent is counted in slipway_notifications_failed_total");
    }

    public void Failed(string receiver, string reason, bool unresolved)
    {
        string? line = null;
        lock (_lock)
        {
            if (unresolved && _unset.Contains(receiver))
            {
                return;
            }

            if (unresolved)
            {
                _unset.Add(receiver);
            }
            else
            {
                _unset.Remove(receiver);
            }

            var now = _time.GetUtcNow();
            if (!_receivers.TryGetValue(receiver, out var last) || now - last.Said >= Interval)
            {
                var more = last.Since > 0 ? string.Create(CultureInfo.InvariantCulture, $" ({last.Since} more failed since the last report)") : "";
                line = $"receiver {receiver}: {reason}{more}";
                _receivers[receiver] = (now, 0);
            }
            else
            {
                _receivers[receiver] = last with { Since = last.Since + 1 };
            }
        }

        if (line is not null)
        {
            _say(line);
        }
    }
}
