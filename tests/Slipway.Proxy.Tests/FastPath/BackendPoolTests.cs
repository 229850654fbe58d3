using System.Net;
using System.Net.Sockets;
using Slipway.Core.Routing;
using Slipway.Proxy.Endpoints;
using Slipway.Proxy.FastPath;
using Slipway.Proxy.Health;
using Slipway.Proxy.Routing;
using Slipway.Proxy.Tests.Support;
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
    private readonly CompiledEndpoint _endpoint;

    public BackendPoolTests()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
        var port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        var registry = new EndpointRegistry(PassiveHealthOptions.Default, _time);
        _endpoint = new CompiledEndpoint(new EndpointModel("e", "127.0.0.1", port), 0, registry.GetOrAdd("e"));
        _pool = new BackendPool(_endpoint, _time, IdleTimeout);
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
        var endpoint = new CompiledEndpoint(new EndpointModel("dead", "localhost", ProxyHarness.DeadPort()), 0, registry.GetOrAdd("dead"));
        using var pool = new BackendPool(endpoint, _time, IdleTimeout, ReadinessEngine.Shared);

        var error = await Assert.ThrowsAsync<SocketException>(() => pool.ConnectAsync(CancellationToken.None).AsTask());
        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
    }

    /// <summary>
    /// On the readiness engine a connection is made on the lane of the engine thread that asks for it, so its answers
    /// come to that thread (the one its client's requests run on), and it goes back to that lane. A lane with none idle
    /// takes another lane's and moves it: its answers then come to the taker's thread, so no request waits on the
    /// other thread, and lanes that need more connections end up holding them.
    /// </summary>
    [Fact]
    public async Task Lanes_AConnectionAnswersOnTheEngineThreadThatTookIt()
    {
        var engine = new ReadinessEngine(2);
        using var pool = new BackendPool(_endpoint, _time, IdleTimeout, engine);
        var accept = _listener.AcceptAsync();
        var connection = await await OnThreadAsync(engine.Threads[0], () => pool.ConnectAsync(CancellationToken.None).AsTask());
        var backend = await accept;
        _accepted.Add(backend);
        var madeOn = await AnsweredOnAsync(connection, backend);
        pool.Return(connection, _time.GetTimestamp());

        var taken = await OnThreadAsync(engine.Threads[1], () => pool.TryTake(_time.GetTimestamp()));
        var takenOn = await AnsweredOnAsync(connection, backend);
        pool.Return(connection, _time.GetTimestamp());

        Assert.Same(connection, taken);
        Assert.Same(engine.Threads[0], madeOn);
        Assert.Same(engine.Threads[1], takenOn);
        var again = await OnThreadAsync(engine.Threads[1], () => pool.TryTake(_time.GetTimestamp()));
        again?.Dispose();
        Assert.Equal(1, connection.Lane);
        Assert.Same(connection, again);
    }

    /// <summary>
    /// With lanes off (<c>ProxyServerOptions.BackendLanes</c>, for benchmarks) the pool is one stack, as before them:
    /// connections made on the same engine thread are spread over the threads in turn, and one taken on another thread
    /// is not moved.
    /// </summary>
    [Fact]
    public async Task LanesOff_ConnectionsAreSpreadInTurnAndNeverMoved()
    {
        var engine = new ReadinessEngine(2);
        using var pool = new BackendPool(_endpoint, _time, IdleTimeout, engine, lanes: false);
        var (connections, backends, answeredOn) = (new List<BackendConnection>(), new List<Socket>(), new List<ReadinessThread?>());
        for (var i = 0; i < 2; i++)
        {
            var accept = _listener.AcceptAsync();
            connections.Add(await await OnThreadAsync(engine.Threads[0], () => pool.ConnectAsync(CancellationToken.None).AsTask()));
            backends.Add(await accept);
            _accepted.Add(backends[i]);
            answeredOn.Add(await AnsweredOnAsync(connections[i], backends[i]));
        }

        pool.Return(connections[0], _time.GetTimestamp());
        var taken = await OnThreadAsync(engine.Threads[1], () => pool.TryTake(_time.GetTimestamp()));
        var takenOn = await AnsweredOnAsync(connections[0], backends[0]);
        connections.ForEach(connection => connection.Dispose());

        Assert.NotSame(answeredOn[0], answeredOn[1]);
        Assert.Same(connections[0], taken);
        Assert.Same(answeredOn[0], takenOn);
    }

    /// <summary>Runs <paramref name="action"/> on <paramref name="thread"/>, as the continuation of a receive that waited there.</summary>
    private static async Task<T> OnThreadAsync<T>(ReadinessThread thread, Func<T> action)
    {
        var (listener, client, server) = await LoopbackSockets.ConnectAsync();
        var receiver = thread.Register(server);
        try
        {
            var ran = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            var waiting = receiver.ReceiveAsync(new byte[1]);
            Assert.False(waiting.IsCompleted);
            var awaiter = waiting.ConfigureAwait(false).GetAwaiter();
            awaiter.UnsafeOnCompleted(() =>
            {
                awaiter.GetResult();
                try
                {
                    ran.SetResult(action());
                }
                catch (Exception exception)
                {
                    ran.SetException(exception);
                }
            });
            await client.SendAsync("x"u8.ToArray());
            return await ran.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            receiver.Close();
            server.Dispose();
            client.Dispose();
            listener.Dispose();
        }
    }

    /// <summary>The engine thread a receive of <paramref name="connection"/> completes on when <paramref name="backend"/> writes.</summary>
    private static async Task<ReadinessThread?> AnsweredOnAsync(BackendConnection connection, Socket backend)
    {
        var buffer = new byte[16];
        var answered = new TaskCompletionSource<ReadinessThread?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var receive = connection.ReceiveAsync(buffer);
        Assert.False(receive.IsCompleted);
        var awaiter = receive.ConfigureAwait(false).GetAwaiter();
        awaiter.UnsafeOnCompleted(() =>
        {
            awaiter.GetResult();
            answered.SetResult(ReadinessThread.Current);
        });
        await backend.SendAsync("answer"u8.ToArray());
        return await answered.Task.WaitAsync(TimeSpan.FromSeconds(10));
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
