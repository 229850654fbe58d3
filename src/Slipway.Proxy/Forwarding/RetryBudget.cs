namespace Slipway.Proxy.Forwarding;

/// <summary>
/// Caps a service's retries at a share of its requests over a rolling window (Finagle/Linkerd
/// style), so a failing backend does not receive a multiple of its normal load: over the last
/// <c>window</c> seconds, retries ≤ <c>ratio</c> × requests + <c>minRetriesPerSecond</c> ×
/// <c>window</c>. The floor lets a quiet service still retry; the window forgets old traffic, so a
/// long quiet spell earns no burst and a burst earns nothing for later.
/// Lock-free: one bucket per second in a ring, stamped with its second and changed with
/// <see cref="Interlocked"/>; time is the injected <see cref="TimeProvider"/>'s.
/// </summary>
internal sealed class RetryBudget
{
    private readonly TimeProvider _time;
    private double _ratio;
    private readonly long _floor;
    private readonly Bucket[] _buckets;

    /// <param name="ratio">Retries allowed per request, e.g. 0.2.</param>
    /// <param name="minRetriesPerSecond">Retries allowed on top of the ratio, per second of the window.</param>
    /// <param name="windowSeconds">How far back requests and retries count.</param>
    public RetryBudget(TimeProvider time, double ratio = 0.2, int minRetriesPerSecond = 3, int windowSeconds = 10)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ratio);
        ArgumentOutOfRangeException.ThrowIfNegative(minRetriesPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowSeconds);
        _time = time;
        _ratio = ratio;
        _floor = (long)minRetriesPerSecond * windowSeconds;
        _buckets = new Bucket[windowSeconds];
    }

    /// <summary>Retries allowed per request; the routing table sets it from the manifest each time it is compiled.</summary>
    public double Ratio
    {
        get => Volatile.Read(ref _ratio);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Volatile.Write(ref _ratio, value);
        }
    }

    public void RecordRequest() => RecordRequest(_time.GetTimestamp());

    /// <summary>Counts a request that started at <paramref name="timestamp"/> (of the same clock), read by the caller already.</summary>
    public void RecordRequest(long timestamp) => Interlocked.Increment(ref Current(timestamp / _time.TimestampFrequency).Requests);

    /// <summary>Takes one retry from the budget; false (and nothing taken) when the window has none left.</summary>
    public bool TryWithdraw()
    {
        var now = Now();
        ref var bucket = ref Current(now);

        // Take first, then check: two racing retries can both be refused, never both allowed past the cap.
        Interlocked.Increment(ref bucket.Retries);
        var (requests, retries) = Totals(now);
        if (retries <= (long)(Ratio * requests) + _floor)
        {
            return true;
        }

        Interlocked.Decrement(ref bucket.Retries);
        return false;
    }

    private long Now() => _time.GetTimestamp() / _time.TimestampFrequency;

    private ref Bucket Current(long second)
    {
        ref var bucket = ref _buckets[(int)(second % _buckets.Length)];
        var stamp = Volatile.Read(ref bucket.Second);
        if (stamp != second && Interlocked.CompareExchange(ref bucket.Second, second, stamp) == stamp)
        {
            // This thread turned the bucket over to a new second. A count another thread adds
            // between the stamp and the reset is lost: at most a request or two per second.
            Interlocked.Exchange(ref bucket.Requests, 0);
            Interlocked.Exchange(ref bucket.Retries, 0);
        }

        return ref bucket;
    }

    private (long Requests, long Retries) Totals(long now)
    {
        long requests = 0;
        long retries = 0;
        for (var i = 0; i < _buckets.Length; i++)
        {
            ref var bucket = ref _buckets[i];
            var age = now - Volatile.Read(ref bucket.Second);
            if (age >= 0 && age < _buckets.Length)
            {
                requests += Volatile.Read(ref bucket.Requests);
                retries += Volatile.Read(ref bucket.Retries);
            }
        }

        return (requests, retries);
    }

    private struct Bucket
    {
        public long Second;
        public long Requests;
        public long Retries;
    }
}
