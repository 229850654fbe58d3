using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Slipway.Proxy.Routing;
using System.Runtime.CompilerServices;

namespace Slipway.Proxy.FastPath;

/// <summary>
/// The idle keep-alive connections to one backend address. A lock-free queue: taking and returning a connection
/// allocates nothing once the queue's segments exist. At most <see cref="MaxIdle"/> wait; more are closed.
/// </summary>
internal sealed class BackendPool : IDisposable
{
    public const int MaxIdle = 1024;

    private readonly ConcurrentQueue<BackendConnection> _idle = new();
    private readonly EndPoint _address;
    private int _idleCount;
    private volatile bool _closed;

    public BackendPool(CompiledEndpoint endpoint)
    {
        var model = endpoint.Model;
        _address = IPAddress.TryParse(model.Host, out var ip) ? new IPEndPoint(ip, model.Port) : new DnsEndPoint(model.Host, model.Port);
        // What SocketsHttpHandler sends as Host for the endpoint's URI: the authority, without the default port.
        var authority = endpoint.BaseAddress["http://".Length..];
        Authority = Encoding.ASCII.GetBytes(model.Port == 80 ? authority[..authority.LastIndexOf(':')] : authority);
    }

    /// <summary>The backend's host and port as the Host header names them.</summary>
    public byte[] Authority { get; }

    /// <summary>
    /// An idle connection, unchecked: whether the backend closed it meanwhile is seen by the response's first read,
    /// which the exchange starts before it sends (no syscall here).
    /// </summary>
    public BackendConnection? TryTake()
    {
        if (_idle.TryDequeue(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
            return connection;
        }

        return null;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<BackendConnection> ConnectAsync(CancellationToken cancellationToken)
    {
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

    public void Return(BackendConnection connection)
    {
        if (_closed || Interlocked.Increment(ref _idleCount) > MaxIdle)
        {
            if (!_closed)
            {
                Interlocked.Decrement(ref _idleCount);
            }

            connection.Dispose();
            return;
        }

        connection.Reused = true;
        _idle.Enqueue(connection);
        if (_closed)
        {
            // Closed while this one was being returned: it must not stay behind.
            CloseIdle();
        }
    }

    /// <summary>Closes the idle connections; any returned later is closed too.</summary>
    public void Dispose()
    {
        _closed = true;
        CloseIdle();
    }

    private void CloseIdle()
    {
        while (_idle.TryDequeue(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
            connection.Dispose();
        }
    }
}
