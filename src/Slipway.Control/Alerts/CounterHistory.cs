using Slipway.Control.Telemetry;

namespace Slipway.Control.Alerts;

/// <summary>
/// Running request and error totals per series, remembered once a minute, for windows longer than the request
/// store keeps per second (the 6 h of the slow SLO burn-rate pair). Memory: one pair of numbers per series per
/// minute of the longest window in use.
/// </summary>
internal sealed class CounterHistory(TimeSpan keep)
{
    private static readonly TimeSpan Every = TimeSpan.FromMinutes(1);
    private readonly Queue<(DateTimeOffset At, Dictionary<RequestSeriesKey, (long Requests, long Errors)> Totals)> _snapshots = new();

    public TimeSpan Keep { get; } = keep;

    /// <summary>Remembers the store's totals if a minute has passed since the last snapshot.</summary>
    public void Sample(RequestMetricsStore store, DateTimeOffset now)
    {
        if (_snapshots.Count > 0 && now - _snapshots.Last().At < Every)
        {
            return;
        }

        _snapshots.Enqueue((now, Current(store)));
        while (_snapshots.Count > 1 && now - _snapshots.Peek().At > Keep + Every)
        {
            _snapshots.Dequeue();
        }
    }

    /// <summary>
    /// Requests and errors of the matching series since <paramref name="now"/> − <paramref name="window"/>, from the
    /// newest snapshot at or before then (the oldest one while the daemon has not run that long).
    /// </summary>
    public (long Requests, long Errors) Over(RequestMetricsStore store, DateTimeOffset now, TimeSpan window, Func<RequestSeriesKey, bool> match)
    {
        var from = now - window;
        Dictionary<RequestSeriesKey, (long Requests, long Errors)>? baseline = null;
        foreach (var (at, totals) in _snapshots)
        {
            if (baseline is null || at <= from)
            {
                baseline = totals;
            }
        }

        long requests = 0, errors = 0;
        foreach (var (key, (r, e)) in Current(store))
        {
            if (match(key))
            {
                var (r0, e0) = baseline?.GetValueOrDefault(key) ?? (0, 0);
                requests += Math.Max(0, r - r0);
                errors += Math.Max(0, e - e0);
            }
        }

        return (requests, errors);
    }

    private static Dictionary<RequestSeriesKey, (long, long)> Current(RequestMetricsStore store) =>
        store.Totals().ToDictionary(t => t.Key, t => (t.Totals.Requests, t.Totals.Errors));
}
