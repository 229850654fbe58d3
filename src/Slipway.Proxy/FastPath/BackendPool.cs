using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using Slipway.Proxy.Routing;
using Slipway.Proxy.Transport;

namespace Slipway.Proxy.FastPath;

/// <summary>
/// The idle keep-alive connections to one backend address, most recently returned first (a stack): the requests in
/// flight reuse the few connections they need and keep them warm, while the ones a burst opened sink to the bottom,
/// stay unused and are closed once idle for <see cref="IdleTimeout"/> (the general path's
/// <c>PooledConnectionIdleTimeout</c>), so the pool follows the concurrency actually needed. Expiry is checked when a
/// connection is taken or returned: no timer wakes an idle proxy. At most <see cref="MaxIdle"/> wait; more are
/// closed. A ring buffer under a lock: taking and returning a connection allocates nothing once it has grown.
/// </summary>
internal sealed class BackendPool : IDisposable
{
    public const int MaxIdle = 1024;

    private readonly Lock _lock = new();
    private readonly EndPoint _address;
    private readonly TimeProvider _time;
    private readonly ReadinessEngine? _readiness;

    /// <summary>The idle connections and when each came back, oldest at <see cref="_bottom"/>, newest before it + count.</summary>
    private IdleConnection[] _idle = new IdleConnection[16];
    private int _bottom;
    private int _count;
    private bool _closed;

    public BackendPool(CompiledEndpoint endpoint, TimeProvider time, TimeSpan idleTimeout, ReadinessEngine? readiness = null)
    {
        _readiness = readiness;
        var model = endpoint.Model;
        _address = IPAddress.TryParse(model.Host, out var ip) ? new IPEndPoint(ip, model.Port) : new DnsEndPoint(model.Host, model.Port);
        _time = time;
        IdleTimeout = idleTimeout;
        // What SocketsHttpHandler sends as Host for the endpoint's URI: the authority, without the default port.
        var authority = endpoint.BaseAddress["http://".Length..];
        Authority = Encoding.ASCII.GetBytes(model.Port == 80 ? authority[..authority.LastIndexOf(':')] : authority);
    }

    /// <summary>The backend's host and port as the Host header names them.</summary>
    public byte[] Authority { get; }

    /// <summary>How long a connection may wait unused before it is closed rather than lent.</summary>
    public TimeSpan IdleTimeout { get; }

    /// <summary>
    /// The connection returned last, unchecked: whether the backend closed it meanwhile is seen by the response's first
    /// read, which the exchange starts before it sends (no syscall here). One idle past <see cref="IdleTimeout"/> at
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
            var idle = _time.GetElapsedTime(newest.ReturnedAt, now);
            if (idle < IdleTimeout)
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

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<BackendConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_readiness is not null)
        {
            return _address is IPEndPoint address
                ? await ConnectOnReadinessAsync(_readiness, address, cancellationToken).ConfigureAwait(false)
                : await ConnectByNameAsync(_readiness, (DnsEndPoint)_address, cancellationToken).ConfigureAwait(false);
        }

        // A host name may resolve to IPv4 or IPv6: a dual-mode socket takes either.
        var socket = _address is IPEndPoint ip ? new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp) : new Socket(SocketType.Stream, ProtocolType.Tcp);
        socket.NoDelay = true;
        try
        {
            await socket.ConnectAsync(_address, cancellationToken).ConfigureAwait(false);
            return new BackendConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async ValueTask<BackendConnection> ConnectOnReadinessAsync(ReadinessEngine readiness, IPEndPoint address, CancellationToken cancellationToken)
    {
        var (connected, receiver) = await readiness.ConnectAsync(address, cancellationToken).ConfigureAwait(false);
        return new BackendConnection(connected, receiver);
    }

    /// <summary>
    /// A backend named by host name: resolved at each connect (as <see cref="Socket.ConnectAsync(EndPoint)"/> does with
    /// a <see cref="DnsEndPoint"/>, so a changed record is followed), then each address in the resolver's order until
    /// one accepts, on the readiness engine like an address given as such: connected through .NET's engine, the socket
    /// would be registered with both, and both woken per answer. The last address's error is the one reported.
    /// </summary>
    private static async ValueTask<BackendConnection> ConnectByNameAsync(ReadinessEngine readiness, DnsEndPoint name, CancellationToken cancellationToken)
    {
        var addresses = await Dns.GetHostAddressesAsync(name.Host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        for (var i = 0; ; i++)
        {
            try
            {
                return await ConnectOnReadinessAsync(readiness, new IPEndPoint(addresses[i], name.Port), cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException) when (i < addresses.Length - 1)
            {
                // The next address may take it: "localhost" is ::1 and 127.0.0.1, and a backend often listens on one.
            }
        }
    }

    /// <summary>
    /// Puts <paramref name="connection"/> on top, idle from <paramref name="now"/> (the caller's timestamp of the clock).
    /// The oldest idle one goes if it expired (one per return: a pool that is used drains its expired connections as it
    /// goes) or if the pool is full.
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
                if (_count > 0 && (_count == MaxIdle || _time.GetElapsedTime(_idle[_bottom].ReturnedAt, now) >= IdleTimeout))
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

    /// <summary>Doubles the ring (its length stays a power of two, up to <see cref="MaxIdle"/>), oldest first again.</summary>
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
