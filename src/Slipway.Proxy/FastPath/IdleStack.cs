namespace Slipway.Proxy.FastPath;

/// <summary>
/// One stack of idle connections of a <see cref="BackendPool"/> (one per lane of the readiness engine), most recently
/// returned first: the requests in flight reuse the few connections they need and keep them warm, while the ones a
/// burst opened sink to the bottom and are closed once idle for the pool's idle timeout. A ring buffer under a lock:
/// taking and returning a connection allocates nothing once it has grown.
/// </summary>
internal sealed class IdleStack(TimeProvider time, TimeSpan idleTimeout) : IDisposable
{
    private readonly Lock _lock = new();

    /// <summary>The idle connections and when each came back, oldest at <see cref="_bottom"/>, newest before it + count.</summary>
    private IdleConnection[] _idle = new IdleConnection[16];
    private int _bottom;
    private int _count;
    private bool _closed;

    /// <summary>
    /// The connection returned last, unchecked: whether the backend closed it meanwhile is seen by the response's first
    /// read, which the exchange starts before it sends (no syscall here). One idle past the idle timeout at
    /// <paramref name="now"/> (the caller's timestamp of the clock: no read of its own) is closed instead, and with it
    /// every one below it (older still).
    /// </summary>
    public BackendConnection? TryTake(long now)
    {
        IdleConnection[]? expired = null;
        int expiredFrom = 0, expiredCount = 0;
        lock (_lock)
        {
            if (_count == 0)
            {
                return null;
            }

            var top = (_bottom + _count - 1) & (_idle.Length - 1);
            var newest = _idle[top];
            var idle = time.GetElapsedTime(newest.ReturnedAt, now);
            if (idle < idleTimeout)
            {
                _idle[top] = default;
                _count--;
                newest.Connection.IdledFor = idle;
                return newest.Connection;
            }

            // All expired: hand the whole ring over and start an empty one, closing them outside the lock.
            (expired, expiredFrom, expiredCount) = (_idle, _bottom, _count);
            _idle = new IdleConnection[16];
            (_bottom, _count) = (0, 0);
        }

        Close(expired, expiredFrom, expiredCount);
        return null;
    }

    /// <summary>
    /// Puts <paramref name="connection"/> on top, idle from <paramref name="now"/> (the caller's timestamp of the clock).
    /// The oldest idle one goes if it expired (one per return: a pool that is used drains its expired connections as it
    /// goes) or if the stack is full.
    /// </summary>
    public void Return(BackendConnection connection, long now)
    {
        BackendConnection? close = null;
        lock (_lock)
        {
            if (_closed)
            {
                close = connection;
            }
            else
            {
                connection.Reused = true;
                if (_count > 0 && (_count == BackendPool.MaxIdle || time.GetElapsedTime(_idle[_bottom].ReturnedAt, now) >= idleTimeout))
                {
                    close = _idle[_bottom].Connection;
                    _idle[_bottom] = default;
                    _bottom = (_bottom + 1) & (_idle.Length - 1);
                    _count--;
                }

                if (_count == _idle.Length)
                {
                    Grow();
                }

                _idle[(_bottom + _count) & (_idle.Length - 1)] = new IdleConnection(connection, now);
                _count++;
            }
        }

        close?.Dispose();
    }

    /// <summary>The idle connections now, oldest first (tests).</summary>
    internal BackendConnection[] Idle()
    {
        lock (_lock)
        {
            var idle = new BackendConnection[_count];
            for (var i = 0; i < _count; i++)
            {
                idle[i] = _idle[(_bottom + i) & (_idle.Length - 1)].Connection;
            }

            return idle;
        }
    }

    /// <summary>Closes the idle connections; any returned later is closed too.</summary>
    public void Dispose()
    {
        IdleConnection[] idle;
        int bottom, count;
        lock (_lock)
        {
            _closed = true;
            (idle, bottom, count) = (_idle, _bottom, _count);
            _idle = [];
            (_bottom, _count) = (0, 0);
        }

        Close(idle, bottom, count);
    }

    /// <summary>Doubles the ring (its length stays a power of two, up to <see cref="BackendPool.MaxIdle"/>), oldest first again.</summary>
    private void Grow()
    {
        var larger = new IdleConnection[_idle.Length * 2];
        for (var i = 0; i < _count; i++)
        {
            larger[i] = _idle[(_bottom + i) & (_idle.Length - 1)];
        }

        (_idle, _bottom) = (larger, 0);
    }

    private static void Close(IdleConnection[] ring, int bottom, int count)
    {
        for (var i = 0; i < count; i++)
        {
            ring[(bottom + i) & (ring.Length - 1)].Connection.Dispose();
        }
    }
}
