using System.Collections.Concurrent;

namespace Slipway.Proxy.FastPath;

/// <summary>
/// The fast path's timeouts, as Kestrel keeps its own: each connection writes a deadline (a timestamp of the injected
/// <see cref="TimeProvider"/>) before it waits and clears it after, and one timer for the whole engine walks the live
/// connections and interrupts those past theirs. Arming a timeout is then two field writes, where a
/// <c>CancellationTokenSource</c> re-armed per wait took the timer queue's lock twice per wait and a registration
/// per operation. The timer ticks once a second, or a quarter of the shortest timeout in use when that is below four
/// seconds (never below 10 ms): a timeout fires after its duration and at most one tick later.
/// </summary>
internal sealed class TimeoutHeartbeat : IDisposable
{
    private static readonly TimeSpan Coarsest = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Finest = TimeSpan.FromMilliseconds(10);

    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<FastPathConnection, byte> _live = new();
    private readonly ITimer _timer;
    private readonly Lock _refine = new();
    private readonly double _ticksPerSecond;

    /// <summary>Timeouts below this make the timer tick finer (four ticks per timeout).</summary>
    private TimeSpan _refineBelow;

    public TimeoutHeartbeat(TimeProvider time)
    {
        _time = time;
        _ticksPerSecond = time.TimestampFrequency;
        Period = Coarsest;
        _refineBelow = Coarsest * 4;
        _timer = time.CreateTimer(static state => ((TimeoutHeartbeat)state!).Tick(), this, Period, Period);
    }

    /// <summary>How often the live connections are checked.</summary>
    public TimeSpan Period { get; private set; }

    public void Add(FastPathConnection connection) => _live.TryAdd(connection, 0);

    public void Remove(FastPathConnection connection) => _live.TryRemove(connection, out _);

    /// <summary>The deadline <paramref name="timeout"/> after <paramref name="now"/> (a timestamp of the clock), as a timestamp; a non-positive or infinite one never comes.</summary>
    public long DeadlineAfter(TimeSpan timeout, long now)
    {
        if (timeout <= TimeSpan.Zero || timeout >= TimeSpan.FromDays(365))
        {
            return FastPathConnection.Never;
        }

        if (timeout < _refineBelow)
        {
            Refine(timeout);
        }

        return now + (long)(timeout.TotalSeconds * _ticksPerSecond);
    }

    /// <summary>Ticks at a quarter of <paramref name="timeout"/> from now on (the period never grows back).</summary>
    private void Refine(TimeSpan timeout)
    {
        lock (_refine)
        {
            var period = timeout / 4 < Finest ? Finest : timeout / 4;
            if (period < Period)
            {
                Period = period;
                _refineBelow = period * 4;
                _timer.Change(period, period);
            }
        }
    }

    private void Tick()
    {
        var now = _time.GetTimestamp();
        foreach (var (connection, _) in _live)
        {
            connection.Check(now);
        }
    }

    public void Dispose() => _timer.Dispose();
}
