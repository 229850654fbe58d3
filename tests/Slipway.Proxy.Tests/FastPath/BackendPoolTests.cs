using System.Net;
using System.Net.Sockets;
using Slipway.Core.Routing;
using Slipway.Proxy.Endpoints;
using Slipway.Proxy.FastPath;
using Slipway.Proxy.Health;
using Slipway.Proxy.Routing;
using Slipway.Proxy.Transport;
using Slipway.Testing;

namespace Slipway.Proxy.Tests.FastPath;

/// <summary>
/// The fast path's idle backend connections: lent newest first, so a burst's extra connections sink and expire after the
/// idle timeout instead of being kept warm in turn. Real sockets, connected to a listener on loopback.
/// </summary>
public sealed class BackendPoolTests : IDisposable
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(4);
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<Socket> _accepted = [];
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _time = TestClock.Create();
    private readonly BackendPool _pool;

    public BackendPoolTests()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
        var port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        var registry = new EndpointRegistry(PassiveHealthOptions.Default, _time);
        var endpoint = new CompiledEndpoint(new EndpointModel("e", "127.0.0.1", port), 0, registry.GetOrAdd("e"));
        _pool = new BackendPool(endpoint, _time, IdleTimeout);
    }

    [Fact]
    public async Task TryTake_LendsTheConnectionReturnedLast()
    {
        var (first, second) = (await ConnectAsync(), await ConnectAsync());
        _pool.Return(first, _time.GetTimestamp());
        _pool.Return(second, _time.GetTimestamp());

        Assert.Same(second, _pool.TryTake(_time.GetTimestamp()));
        Assert.Same(first, _pool.TryTake(_time.GetTimestamp()));
        Assert.Null(_pool.TryTake(_time.GetTimestamp()));
    }

    [Fact]
    public async Task TryTake_AfterTheIdleTimeout_ClosesThemAllAndLendsNone()
    {
        var (first, second) = (await ConnectAsync(), await ConnectAsync());
        _pool.Return(first, _time.GetTimestamp());
        _time.Advance(TimeSpan.FromSeconds(1));
        _pool.Return(second, _time.GetTimestamp());
        _time.Advance(IdleTimeout);

        Assert.Null(_pool.TryTake(_time.GetTimestamp()));
        Assert.True(first.Socket.SafeHandle.IsClosed);
        Assert.True(second.Socket.SafeHandle.IsClosed);
    }

    [Fact]
    public async Task TryTake_JustBeforeTheIdleTimeout_LendsTheConnection()
    {
        var connection = await ConnectAsync();
        _pool.Return(connection, _time.GetTimestamp());
        _time.Advance(IdleTimeout - TimeSpan.FromMilliseconds(1));

        Assert.Same(connection, _pool.TryTake(_time.GetTimestamp()));
        Assert.False(connection.Socket.SafeHandle.IsClosed);
    }

    /// <summary>Under steady use the top is always fresh: the connections below it that nobody took expire as others come back.</summary>
    [Fact]
    public async Task Return_ClosesTheOldestOnceExpired_AndKeepsTheOnesInUse()
    {
        var (spare, busy) = (await ConnectAsync(), await ConnectAsync());
        _pool.Return(spare, _time.GetTimestamp());
        _pool.Return(busy, _time.GetTimestamp());
        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            Assert.Same(busy, _pool.TryTake(_time.GetTimestamp()));
            _pool.Return(busy, _time.GetTimestamp());
        }

        Assert.True(spare.Socket.SafeHandle.IsClosed);
        Assert.False(busy.Socket.SafeHandle.IsClosed);
        Assert.Same(busy, _pool.TryTake(_time.GetTimestamp()));
        Assert.Null(_pool.TryTake(_time.GetTimestamp()));
    }

    [Fact]
    public async Task Return_BeyondMaxIdle_ClosesTheOldest()
    {
        var connections = new List<BackendConnection>();
        for (var i = 0; i <= BackendPool.MaxIdle; i++)
        {
            var connection = await ConnectAsync();
            connections.Add(connection);
            _pool.Return(connection, _time.GetTimestamp());
        }

        Assert.True(connections[0].Socket.SafeHandle.IsClosed);
        Assert.All(connections.Skip(1), c => Assert.False(c.Socket.SafeHandle.IsClosed));
        for (var i = BackendPool.MaxIdle; i >= 1; i--)
        {
            Assert.Same(connections[i], _pool.TryTake(_time.GetTimestamp()));
        }

        Assert.Null(_pool.TryTake(_time.GetTimestamp()));
    }

    [Fact]
    public async Task Dispose_ClosesTheIdleOnes_AndAnyReturnedLater()
    {
        var (idle, lent) = (await ConnectAsync(), await ConnectAsync());
        _pool.Return(idle, _time.GetTimestamp());
        _pool.Dispose();
        _pool.Return(lent, _time.GetTimestamp());

        Assert.True(idle.Socket.SafeHandle.IsClosed);
        Assert.True(lent.Socket.SafeHandle.IsClosed);
        Assert.Null(_pool.TryTake(_time.GetTimestamp()));
    }

    /// <summary>A backend named by host name connects on the readiness engine too, not through .NET's socket engine.</summary>
    [Fact]
    public async Task ConnectAsync_ToAHostName_ConnectsOnTheReadinessEngine()
    {
        var port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        var registry = new EndpointRegistry(PassiveHealthOptions.Default, _time);
        var endpoint = new CompiledEndpoint(new EndpointModel("named", "localhost", port), 0, registry.GetOrAdd("named"));
        using var pool = new BackendPool(endpoint, _time, IdleTimeout, ReadinessEngine.Shared);

        var accept = _listener.AcceptAsync();
        using var connection = await pool.ConnectAsync(CancellationToken.None);
        _accepted.Add(await accept);

        Assert.True(connection.ReceivesOnReadiness);
    }

    [Fact]
    public async Task ConnectAsync_ToAHostNameNobodyServes_FailsWithTheSocketsError()
    {
        var registry = new EndpointRegistry(PassiveHealthOptions.Default, _time);
        var endpoint = new CompiledEndpoint(new EndpointModel("dead", "localhost", Support.ProxyHarness.DeadPort()), 0, registry.GetOrAdd("dead"));
        using var pool = new BackendPool(endpoint, _time, IdleTimeout, ReadinessEngine.Shared);

        var error = await Assert.ThrowsAsync<SocketException>(() => pool.ConnectAsync(CancellationToken.None).AsTask());
        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
    }

    public void Dispose()
    {
        _pool.Dispose();
        foreach (var socket in _accepted)
        {
            socket.Dispose();
        }

        _listener.Dispose();
    }

    private async Task<BackendConnection> ConnectAsync()
    {
        var accept = _listener.AcceptAsync();
        var connection = await _pool.ConnectAsync(CancellationToken.None);
        _accepted.Add(await accept);
        return connection;
    }
}
