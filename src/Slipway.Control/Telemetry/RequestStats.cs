namespace Slipway.Control.Telemetry;

/// <summary>
/// Request counters summed over some series and seconds: what analysis, alerts, the autoscaler and the
/// dashboard ask the <see cref="RequestMetricsStore"/> for. Immutable once returned.
/// </summary>
internal sealed class RequestStats
{
    private readonly long[] _counters;

    public RequestStats(long[] counters, TimeSpan window)
    {
        if (counters.Length != CounterSlots.Stride)
        {
            throw new ArgumentException($"expected {CounterSlots.Stride} counters", nameof(counters));
        }

        _counters = counters;
        Window = window;
    }

    public static RequestStats Empty(TimeSpan window) => new(new long[CounterSlots.Stride], window);

    /// <summary>The span of time the counters cover.</summary>
    public TimeSpan Window { get; }

    /// <summary>Every request recorded, answered or not.</summary>
    public long Requests => Class(1) + Class(2) + Class(3) + Class(4) + Class(5) + _counters[CounterSlots.NoStatus];

    /// <summary>Responses with a 5xx status, the proxy's own 502/503/504 and shielded canary failures included.</summary>
    public long Errors => Class(5);

    public long ProxyFailures => _counters[CounterSlots.ProxyFailures];

    public long Shielded => _counters[CounterSlots.Shielded];

    public long RequestBytes => _counters[CounterSlots.RequestBytes];

    public long ResponseBytes => _counters[CounterSlots.ResponseBytes];

    /// <summary>Sum of all request durations.</summary>
    public TimeSpan DurationSum => TimeSpan.FromMicroseconds(_counters[CounterSlots.DurationMicroseconds]);

    /// <summary>Errors / requests; 0 with no requests.</summary>
    public double ErrorRate => Requests == 0 ? 0 : (double)Errors / Requests;

    /// <summary>Responses in one status class (1 to 5).</summary>
    public long Class(int hundreds) => hundreds is >= 1 and <= 5 ? _counters[CounterSlots.Classes + hundreds - 1] : 0;

    /// <summary>How many requests fell in latency bucket <paramref name="index"/> (see <see cref="LatencyBuckets"/>).</summary>
    public long Bucket(int index) => _counters[CounterSlots.Buckets + index];

    /// <summary>
    /// The latency below which a share <paramref name="q"/> of requests fell, interpolated linearly inside the
    /// bucket that holds it (as Prometheus' <c>histogram_quantile</c> does); null with no requests.
    /// </summary>
    public TimeSpan? Quantile(double q)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(q, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(q, 1);
        long total = 0;
        for (var i = 0; i < LatencyBuckets.Count; i++)
        {
            total += Bucket(i);
        }

        if (total == 0)
        {
            return null;
        }

        var rank = q * total;
        long below = 0;
        for (var i = 0; i < LatencyBuckets.Count; i++)
        {
            var inBucket = Bucket(i);
            if (inBucket > 0 && below + inBucket >= rank)
            {
                if (i == LatencyBuckets.Count - 1)
                {
                    return TimeSpan.FromSeconds(LatencyBuckets.UpperBound(i));
                }

                var lower = LatencyBuckets.LowerBound(i);
                var upper = LatencyBuckets.UpperBound(i);
                var fraction = Math.Clamp((rank - below) / inBucket, 0, 1);
                return TimeSpan.FromSeconds(lower + ((upper - lower) * fraction));
            }

            below += inBucket;
        }

        return TimeSpan.FromSeconds(LatencyBuckets.UpperBound(LatencyBuckets.Count - 1));
    }
}
