using System.Collections.Concurrent;
using Slipway.Core.Routing;

namespace Slipway.Control.Telemetry;

/// <summary>
/// The one store of request metrics: the proxy records every request here (service × revision × route, at
/// 1-second resolution over a rolling window), and rollout analysis, alerts, the autoscaler, the dashboard and
/// <c>/metrics</c> read it. Memory is bounded by the window and <see cref="MaxSeries"/>, never by traffic.
/// </summary>
internal sealed class RequestMetricsStore : IRequestMetricsSink
{
    private readonly TimeProvider _time;
    private readonly int _seconds;
    private readonly ConcurrentDictionary<RequestSeriesKey, RequestSeries> _series = new();
    private readonly DateTimeOffset _started;
    private long _dropped;

    /// <param name="window">How far back per-second counters are kept (at least 1 h by default).</param>
    public RequestMetricsStore(TimeProvider time, TimeSpan? window = null, int maxSeries = 2000)
    {
        _time = time;
        Window = window ?? TimeSpan.FromHours(1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Window, TimeSpan.FromSeconds(1));
        _seconds = (int)Math.Ceiling(Window.TotalSeconds);
        MaxSeries = maxSeries;
        _started = time.GetUtcNow();
    }

    public TimeSpan Window { get; }

    /// <summary>Series beyond this many are not created; their samples are counted in <see cref="DroppedSamples"/>.</summary>
    public int MaxSeries { get; }

    /// <summary>Samples not kept because the series limit was reached.</summary>
    public long DroppedSamples => Volatile.Read(ref _dropped);

    public void Record(in RequestSample sample)
    {
        var key = new RequestSeriesKey(sample.Service, sample.Revision, sample.Route);
        if (!_series.TryGetValue(key, out var series))
        {
            if (_series.Count >= MaxSeries)
            {
                Interlocked.Increment(ref _dropped);
                return;
            }

            series = _series.GetOrAdd(key, k => new RequestSeries(k, _seconds));
        }

        series.Record(_time.GetUtcNow().ToUnixTimeSeconds(), sample);
    }

    /// <summary>Every series that has recorded something, in a stable order.</summary>
    public IReadOnlyList<RequestSeriesKey> Keys() =>
        [.. _series.Keys.OrderBy(k => k.Service, StringComparer.Ordinal).ThenBy(k => k.Revision, StringComparer.Ordinal).ThenBy(k => k.Route, StringComparer.Ordinal)];

    /// <summary>The counters of the series that <paramref name="match"/> accepts, over the last <paramref name="window"/> (the current second included).</summary>
    public RequestStats Last(TimeSpan window, Func<RequestSeriesKey, bool> match)
    {
        var now = _time.GetUtcNow();
        return Between(now - window, now, match);
    }

    /// <summary>The counters of one service (and optionally one revision) over the last <paramref name="window"/>.</summary>
    public RequestStats Last(TimeSpan window, string service, string? revision = null) =>
        Last(window, k => k.Service == service && (revision is null || k.Revision == revision));

    /// <summary>
    /// The counters of the matching series over whole seconds: the second holding <paramref name="from"/> is
    /// left out when <paramref name="from"/> falls inside it, the one holding <paramref name="to"/> is included.
    /// </summary>
    public RequestStats Between(DateTimeOffset from, DateTimeOffset to, Func<RequestSeriesKey, bool> match)
    {
        var first = from.ToUnixTimeSeconds() + 1;
        var end = to.ToUnixTimeSeconds() + 1;
        var sum = new long[CounterSlots.Stride];
        foreach (var series in _series.Values)
        {
            if (match(series.Key))
            {
                series.AddTo(sum, first, end);
            }
        }

        return new RequestStats(sum, TimeSpan.FromSeconds(Math.Max(0, end - first)));
    }

    /// <summary>Running totals per series since the daemon started, with counts per response code, for the exposition.</summary>
    public IReadOnlyList<(RequestSeriesKey Key, RequestStats Totals, long[] Codes)> Totals()
    {
        var uptime = _time.GetUtcNow() - _started;
        var result = new List<(RequestSeriesKey, RequestStats, long[])>();
        foreach (var key in Keys())
        {
            if (_series.TryGetValue(key, out var series))
            {
                var (totals, codes) = series.Totals(uptime);
                result.Add((key, totals, codes));
            }
        }

        return result;
    }

    /// <summary>Requests the edge answered itself (rate limits, allow lists, maintenance, body limit, WAF) per series, by reason.</summary>
    public IReadOnlyList<(RequestSeriesKey Key, long[] Refusals)> Refusals() => PerSeries(series => series.Refusals());

    /// <summary>WAF matches per series, by class and mode (see <see cref="RequestSeries.WafMatches"/>).</summary>
    public IReadOnlyList<(RequestSeriesKey Key, long[] Matches)> WafMatches() => PerSeries(series => series.WafMatches());

    /// <summary>Runs <see cref="Prune"/> every <paramref name="interval"/> on the injected clock until the returned timer is disposed.</summary>
    public ITimer PruneEvery(TimeSpan interval) => _time.CreateTimer(_ => Prune(), null, interval, interval);

    /// <summary>Forgets series with no sample for longer than the window (revisions long gone); returns how many.</summary>
    public int Prune()
    {
        var oldest = _time.GetUtcNow().ToUnixTimeSeconds() - _seconds;
        var removed = 0;
        foreach (var (key, series) in _series)
        {
            if (series.LastSecond < oldest && _series.TryRemove(key, out _))
            {
                removed++;
            }
        }

        return removed;
    }

    private List<(RequestSeriesKey, long[])> PerSeries(Func<RequestSeries, long[]> read)
    {
        var result = new List<(RequestSeriesKey, long[])>();
        foreach (var key in Keys())
        {
            if (_series.TryGetValue(key, out var series))
            {
                result.Add((key, read(series)));
            }
        }

        return result;
    }
}
