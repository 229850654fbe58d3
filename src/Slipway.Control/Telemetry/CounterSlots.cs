namespace Slipway.Control.Telemetry;

/// <summary>
/// The layout of one block of request counters (one second, or the running totals): the latency buckets, then
/// responses per status class, then the rest. Kept as plain <c>long</c> offsets so a block is one array slice
/// that the request path updates with <see cref="Interlocked"/> only.
/// </summary>
internal static class CounterSlots
{
    /// <summary>First of the <see cref="LatencyBuckets.Count"/> bucket counters.</summary>
    public const int Buckets = 0;

    /// <summary>First of five counters: status 1xx, 2xx, 3xx, 4xx, 5xx.</summary>
    public static readonly int Classes = LatencyBuckets.Count;

    /// <summary>Requests that got no status at all (the client went away first).</summary>
    public static readonly int NoStatus = Classes + 5;

    /// <summary>Failures the proxy itself answered (no endpoint, connect refused, timeout): a subset of 5xx.</summary>
    public static readonly int ProxyFailures = NoStatus + 1;

    /// <summary>Canary failures the shield retried on stable: counted here and in the class, never seen by the client.</summary>
    public static readonly int Shielded = ProxyFailures + 1;

    public static readonly int RequestBytes = Shielded + 1;

    public static readonly int ResponseBytes = RequestBytes + 1;

    /// <summary>Sum of durations in microseconds.</summary>
    public static readonly int DurationMicroseconds = ResponseBytes + 1;

    /// <summary>Counters in one block.</summary>
    public static readonly int Stride = DurationMicroseconds + 1;
}
