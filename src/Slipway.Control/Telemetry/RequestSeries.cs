using Slipway.Core.Routing;

namespace Slipway.Control.Telemetry;

/// <summary>
/// One series' counters: a ring of per-second blocks (the rolling window) and running totals since the daemon
/// started (for <c>/metrics</c>). Recording takes no lock: counters are bumped with <see cref="Interlocked"/>;
/// the first sample of a new second claims its slot with a compare-exchange and clears it (a few dozen longs),
/// while samples for that slot wait those nanoseconds.
/// </summary>
internal sealed class RequestSeries
{
    /// <summary>Response codes 0 (no response) to 599 for the running per-code totals.</summary>
    public const int CodeCount = 600;

    /// <summary>One running total per <see cref="EdgeRefusal"/> value.</summary>
    public static readonly int RefusalCount = Enum.GetValues<EdgeRefusal>().Length;

    private const long Empty = -1;
    private const long Clearing = -2;

    private readonly int _capacity;
    private readonly long[] _stamps;
    private readonly long[] _blocks;
    private readonly long[] _totals = new long[CounterSlots.Stride];
    private readonly long[] _codes = new long[CodeCount];
    private readonly long[] _refusals = new long[RefusalCount];
    private readonly long[] _wafMatches = new long[WafNames.Classes.Count * 2];
    private long _lastSecond = Empty;

    public RequestSeries(RequestSeriesKey key, int seconds)
    {
        Key = key;
        _capacity = seconds;
        _stamps = new long[seconds];
        Array.Fill(_stamps, Empty);
        _blocks = new long[seconds * CounterSlots.Stride];
    }

    public RequestSeriesKey Key { get; }

    /// <summary>The last second a sample arrived in (unix seconds), or -1.</summary>
    public long LastSecond => Volatile.Read(ref _lastSecond);

    public void Record(long second, in RequestSample sample)
    {
        var status = sample.StatusCode;
        var seconds = sample.Duration.TotalSeconds;
        var bucket = CounterSlots.Buckets + LatencyBuckets.IndexOf(seconds);
        var statusClass = status is >= 100 and <= 599 ? CounterSlots.Classes + (status / 100) - 1 : CounterSlots.NoStatus;
        var micros = (long)sample.Duration.TotalMicroseconds;

        Add(_totals, 0, bucket, statusClass, micros, sample);
        Interlocked.Increment(ref _codes[status is >= 100 and <= 599 ? status : 0]);
        if (sample.Refusal != EdgeRefusal.None)
        {
            Interlocked.Increment(ref _refusals[(int)sample.Refusal]);
        }

        if (WafNames.ClassIndex(sample.WafClass) is >= 0 and var wafClass)
        {
            Interlocked.Increment(ref _wafMatches[(wafClass * 2) + (sample.WafBlocked ? 1 : 0)]);
        }

        var slot = Slot(second);
        if (slot >= 0)
        {
            Add(_blocks, slot * CounterSlots.Stride, bucket, statusClass, micros, sample);
        }

        if (second > Volatile.Read(ref _lastSecond))
        {
            Volatile.Write(ref _lastSecond, second);
        }
    }

    /// <summary>Requests the edge answered itself since the series began, by <see cref="EdgeRefusal"/> (index 0 unused).</summary>
    public long[] Refusals()
    {
        var refusals = new long[RefusalCount];
        for (var i = 0; i < refusals.Length; i++)
        {
            refusals[i] = Volatile.Read(ref _refusals[i]);
        }

        return refusals;
    }

    /// <summary>WAF matches since the series began: index class × 2 + 1 when blocked (see <see cref="WafNames.Classes"/>).</summary>
    public long[] WafMatches()
    {
        var matches = new long[_wafMatches.Length];
        for (var i = 0; i < matches.Length; i++)
        {
            matches[i] = Volatile.Read(ref _wafMatches[i]);
        }

        return matches;
    }

    /// <summary>Adds the blocks of seconds <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive) into <paramref name="sum"/>.</summary>
    public void AddTo(long[] sum, long from, long to)
    {
        from = Math.Max(from, to - _capacity);
        for (var second = from; second < to; second++)
        {
            var index = (int)(second % _capacity);
            if (Volatile.Read(ref _stamps[index]) != second)
            {
                continue;
            }

            var offset = index * CounterSlots.Stride;
            for (var i = 0; i < CounterSlots.Stride; i++)
            {
                sum[i] += Volatile.Read(ref _blocks[offset + i]);
            }
        }
    }

    /// <summary>The running totals since the series began, and the count per response code (index = code, 0 = none).</summary>
    public (RequestStats Totals, long[] Codes) Totals(TimeSpan window)
    {
        var totals = new long[CounterSlots.Stride];
        for (var i = 0; i < totals.Length; i++)
        {
            totals[i] = Volatile.Read(ref _totals[i]);
        }

        var codes = new long[CodeCount];
        for (var i = 0; i < codes.Length; i++)
        {
            codes[i] = Volatile.Read(ref _codes[i]);
        }

        return (new RequestStats(totals, window), codes);
    }

    private static void Add(long[] counters, int offset, int bucket, int statusClass, long micros, in RequestSample sample)
    {
        Interlocked.Increment(ref counters[offset + bucket]);
        Interlocked.Increment(ref counters[offset + statusClass]);
        if (sample.ProxyFailure)
        {
            Interlocked.Increment(ref counters[offset + CounterSlots.ProxyFailures]);
        }

        if (sample.Shielded)
        {
            Interlocked.Increment(ref counters[offset + CounterSlots.Shielded]);
        }

        if (sample.RequestBytes > 0)
        {
            Interlocked.Add(ref counters[offset + CounterSlots.RequestBytes], sample.RequestBytes);
        }

        if (sample.ResponseBytes > 0)
        {
            Interlocked.Add(ref counters[offset + CounterSlots.ResponseBytes], sample.ResponseBytes);
        }

        Interlocked.Add(ref counters[offset + CounterSlots.DurationMicroseconds], micros);
    }

    /// <summary>The ring index holding <paramref name="second"/>, claiming and clearing it when it held an older one; -1 for a sample older than the ring.</summary>
    private int Slot(long second)
    {
        var index = (int)(second % _capacity);
        var spin = default(SpinWait);
        while (true)
        {
            var stamp = Volatile.Read(ref _stamps[index]);
            if (stamp == second)
            {
                return index;
            }

            if (stamp == Clearing)
            {
                spin.SpinOnce();
                continue;
            }

            if (stamp > second)
            {
                return -1;
            }

            if (Interlocked.CompareExchange(ref _stamps[index], Clearing, stamp) == stamp)
            {
                Array.Clear(_blocks, index * CounterSlots.Stride, CounterSlots.Stride);
                Volatile.Write(ref _stamps[index], second);
                return index;
            }
        }
    }
}
