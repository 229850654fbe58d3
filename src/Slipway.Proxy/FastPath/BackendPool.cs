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
/// connection is taken or returned: no timer wakes an idle proxy. At most <see cref="MaxIdle"/> wait per stack; more
/// are closed. On the readiness engine there is a stack per lane (per engine thread), and a connection is made on, and
/// goes back to, the lane of the thread that needed it: a request running on an engine thread (its client's) takes a
/// connection whose events come to that same thread, so the exchange never waits on the other thread, as nginx's
/// workers and HAProxy's threads keep their own. A lane with none idle moves another lane's to it before it connects.
/// </summary>
internal sealed class BackendPool : IDisposable
{
    public const int MaxIdle = 1024;

    private readonly EndPoint _address;
    private readonly ReadinessEngine? _readiness;

    /// <summary>The idle connections by lane (one without the readiness engine).</summary>
    private readonly IdleStack[] _lanes;

    /// <param name="lanes">A stack per engine thread (the default); false: one, its connections spread over the threads as they are made.</param>
    public BackendPool(CompiledEndpoint endpoint, TimeProvider time, TimeSpan idleTimeout, ReadinessEngine? readiness = null, bool lanes = true)
    {
        _readiness = readiness;
        var model = endpoint.Model;
        _address = IPAddress.TryParse(model.Host, out var ip) ? new IPEndPoint(ip, model.Port) : new DnsEndPoint(model.Host, model.Port);
        IdleTimeout = idleTimeout;
        _lanes = new IdleStack[lanes && readiness is not null ? readiness.Lanes : 1];
        for (var i = 0; i < _lanes.Length; i++)
        {
            _lanes[i] = new IdleStack(time, idleTimeout);
        }

        // What SocketsHttpHandler sends as Host for the endpoint's URI: the authority, without the default port.
        var authority = endpoint.BaseAddress["http://".Length..];
        Authority = Encoding.ASCII.GetBytes(model.Port == 80 ? authority[..authority.LastIndexOf(':')] : authority);
    }

    /// <summary>The backend's host and port as the Host header names them.</summary>
    public byte[] Authority { get; }

    /// <summary>How long a connection may wait unused before it is closed rather than lent.</summary>
    public TimeSpan IdleTimeout { get; }

    /// <summary>
    /// The connection returned last to the caller's lane (<see cref="ReadinessEngine.CurrentLane"/>), unchecked: whether
    /// the backend closed it meanwhile is seen by the response's first read, which the exchange starts before it sends
    /// (no syscall here). Connections idle past <see cref="IdleTimeout"/> at <paramref name="now"/> (the caller's
    /// timestamp of the clock: no read of its own) are closed instead. With none idle on its lane, another lane's is
    /// moved to it (two <c>epoll_ctl</c>, where a new connection costs a handshake), so the lanes' connections follow
    /// where the requests run and no lane keeps borrowing the other's. A caller off the engine's threads takes any
    /// lane's and moves nothing.
    /// </summary>
    public BackendConnection? TryTake(long now)
    {
        var lane = Lane();
        var from = Math.Max(lane, 0);
        var connection = _lanes[from].TryTake(now);
        for (var i = 1; connection is null && i < _lanes.Length; i++)
        {
            connection = _lanes[(from + i) % _lanes.Length].TryTake(now);
            if (connection is not null && lane >= 0 && !connection.TryMoveTo(_readiness!, lane))
            {
                connection.Dispose();
                connection = null;
                i--;
            }
        }

        return connection;
    }

    /// <summary>
    /// A new connection on the caller's lane (its events come to the engine's thread the caller runs on); made off the
    /// engine's threads, or with lanes off, on each engine thread in turn.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<BackendConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_readiness is not null)
        {
            var lane = _lanes.Length == 1 ? _readiness.NextLane() : Lane();
            if (lane < 0)
            {
                lane = _readiness.NextLane();
            }

            return _address is IPEndPoint address
                ? await ConnectOnReadinessAsync(_readiness, address, lane, cancellationToken).ConfigureAwait(false)
                : await ConnectByNameAsync(_readiness, (DnsEndPoint)_address, lane, cancellationToken).ConfigureAwait(false);
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

    private static async ValueTask<BackendConnection> ConnectOnReadinessAsync(ReadinessEngine readiness, IPEndPoint address, int lane, CancellationToken cancellationToken)
    {
        var (connected, receiver) = await readiness.ConnectAsync(address, lane, cancellationToken).ConfigureAwait(false);
        return new BackendConnection(connected, receiver, lane);
    }

    /// <summary>
    /// A backend named by host name: resolved at each connect (as <see cref="Socket.ConnectAsync(EndPoint)"/> does with
    /// a <see cref="DnsEndPoint"/>, so a changed record is followed), then each address in the resolver's order until
    /// one accepts, on the readiness engine like an address given as such: connected through .NET's engine, the socket
    /// would be registered with both, and both woken per answer. The last address's error is the one reported.
    /// </summary>
    private static async ValueTask<BackendConnection> ConnectByNameAsync(ReadinessEngine readiness, DnsEndPoint name, int lane, CancellationToken cancellationToken)
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
                return await ConnectOnReadinessAsync(readiness, new IPEndPoint(addresses[i], name.Port), lane, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException) when (i < addresses.Length - 1)
            {
                // The next address may take it: "localhost" is ::1 and 127.0.0.1, and a backend often listens on one.
            }
        }
    }

    /// <summary>
    /// Puts <paramref name="connection"/> on top of its own lane's stack (the one whose thread its events come to), idle
    /// from <paramref name="now"/> (the caller's timestamp of the clock). The oldest idle one of that lane goes if it
    /// expired or if the stack is full.
    /// </summary>
    public void Return(BackendConnection connection, long now) => _lanes[_lanes.Length == 1 ? 0 : connection.Lane].Return(connection, now);

    /// <summary>The idle connections, each lane's oldest first (tests).</summary>
    internal IEnumerable<BackendConnection> Idle() => _lanes.SelectMany(static lane => lane.Idle());

    /// <summary>Closes the idle connections; any returned later is closed too.</summary>
    public void Dispose()
    {
        foreach (var lane in _lanes)
        {
            lane.Dispose();
        }
    }

    /// <summary>The caller's lane; -1 off the engine's threads (a request over TLS runs on the thread pool): it takes from any lane and moves nothing.</summary>
    private int Lane() => _lanes.Length == 1 ? 0 : _readiness!.CurrentLane;
}
