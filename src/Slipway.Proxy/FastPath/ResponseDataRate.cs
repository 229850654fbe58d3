using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Slipway.Proxy.FastPath;

/// <summary>
/// Kestrel's <see cref="KestrelServerLimits.MinResponseDataRate"/> on the fast path: a flush that has to wait for the
/// client (its socket or the TLS pipe is full) must be done by a deadline, or the client connection is aborted, as
/// Kestrel's heartbeat aborts a connection whose awaited write is past its own. Kestrel's deadline (its
/// <c>TimeoutControl.BytesWrittenToBuffer</c>) is, at each write, the later of "now, plus the grace period or the
/// write's bytes at the rate, whichever is longer" and "the deadline before, plus the write's bytes at the rate", kept
/// for the connection's life. The fast path computes it only when a flush waits (nothing per request otherwise), and
/// per response: the later of "now, plus the grace period or the waiting flush's bytes at the rate" and "the request's
/// start, plus the grace period or all the response's body bytes so far at the rate", which is never later than
/// Kestrel's (the first write of the response comes after the request's start) and at most a grace period earlier.
/// </summary>
internal sealed class ResponseDataRate
{
    /// <param name="rate">The option Kestrel gets (<see cref="ProxyServerOptions.MinResponseDataRate"/>).</param>
    public ResponseDataRate(MinDataRate rate)
    {
        BytesPerSecond = rate.BytesPerSecond;
        GracePeriod = rate.GracePeriod;
    }

    public double BytesPerSecond { get; }

    public TimeSpan GracePeriod { get; }

    /// <summary>
    /// When a flush of <paramref name="pending"/> bytes that started waiting at <paramref name="now"/> must be done (a
    /// timestamp of the heartbeat's clock), for a response to a request that started at <paramref name="start"/> and
    /// has put <paramref name="sent"/> body bytes so far, these included.
    /// </summary>
    public long Deadline(TimeoutHeartbeat heartbeat, long now, long start, long pending, long sent)
    {
        var thisFlush = heartbeat.DeadlineAfter(Allowance(pending), now);
        var wholeResponse = heartbeat.DeadlineAfter(Allowance(sent), start);
        return Math.Max(thisFlush, wholeResponse);
    }

    /// <summary>The time <paramref name="bytes"/> may take at the rate, never less than the grace period.</summary>
    private TimeSpan Allowance(long bytes)
    {
        var atRate = TimeSpan.FromSeconds(Math.Min(bytes / BytesPerSecond, TimeSpan.MaxValue.TotalSeconds / 2));
        return atRate > GracePeriod ? atRate : GracePeriod;
    }
}
