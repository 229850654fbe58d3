using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Slipway.Proxy.Tests.Support;
using Slipway.Proxy.Transport;
using Slipway.Testing;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.Transport;

/// <summary>
/// <c>DirectTransport</c>: the fast path's plain listeners read the client's socket straight, keep one receive ahead of
/// the next read (into pooled blocks that are the reader's buffer), and give a connection the fast path does not serve to Kestrel's HTTP layer over pumped pipes.
/// (The client leaving mid-exchange and the 100 MB upload through a hand-over are in <c>FailureTests</c> and
/// <c>StreamingTests</c>, on both transports.)
/// </summary>
public sealed class DirectTransportTests
{
    /// <summary>Bytes past one request, received ahead while the first is answered, are the next request's.</summary>
    [Fact]
    public async Task PipelinedRequests_AreAnsweredInOrderOnTheFastPath()
    {
        await using var backend = RawBackend.Start(head => RawAnswer.Of($"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n{head.Split(' ')[1][1]}"));
        await using var proxy = await ProxyHarness.StartAsync(Single("api", null, null, backend.Endpoint()), o => o with { DirectTransport = true });
        await using var raw = await RawHttp.ConnectAsync(proxy.Port);

        await raw.SendAsync("GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\nGET /c HTTP/1.1\r\nHost: h\r\n\r\n");
        var answers = await raw.ReadUntilAsync("\r\n\r\nc");

        Assert.Equal(3, answers.Split("HTTP/1.1 200 OK").Length - 1);
        Assert.True(answers.IndexOf("\r\n\r\na", StringComparison.Ordinal) < answers.IndexOf("\r\n\r\nb", StringComparison.Ordinal), answers);
        Assert.Equal(3, proxy.Proxy.Counters.FastPath);
    }

    /// <summary>The keep-alive timeout cancels a read that waits on the receive ahead.</summary>
    [Fact]
    public async Task KeepAlive_AnIdleConnectionPastTheTimeoutOnTheInjectedClock_IsClosed()
    {
        var time = TestClock.Create();
        var keepAlive = TimeSpan.FromMinutes(10);
        await using var backend = RawBackend.StartOk();
        await using var proxy = await ProxyHarness.StartAsync(
            Single("api", null, null, backend.Endpoint()), o => o with { TimeProvider = time, KeepAliveTimeout = keepAlive, DirectTransport = true });
        await using var raw = await RawHttp.ConnectAsync(proxy.Port);

        await raw.SendAsync("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 200 ", await raw.ReadUntilAsync("\r\n\r\nok"), StringComparison.Ordinal);
        var end = raw.ReadToEndAsync();
        await Wait.UntilAsync(
            () =>
            {
                if (!end.IsCompleted)
                {
                    time.Advance(keepAlive + TimeSpan.FromSeconds(1));
                }

                return end.IsCompleted;
            },
            "the keep-alive timeout to close the connection",
            seconds: 10);

        var (text, ended) = await end;
        Assert.True(ended, "the idle connection stayed open: " + text);
        Assert.Equal(string.Empty, text);
    }

    [Fact]
    public async Task Client_ResetBetweenRequests_EndsTheConnectionWithoutAnError()
    {
        var logs = new FakeLogCollector();
        await using var backend = RawBackend.StartOk();
        await using var proxy = await ProxyHarness.StartAsync(
            Single("api", null, null, backend.Endpoint()),
            o => o with
            {
                DirectTransport = true,
                LoggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(new FakeLoggerProvider(logs))),
            });
        await using var raw = await RawHttp.ConnectAsync(proxy.Port);
        await raw.SendAsync("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        Assert.EndsWith("\r\n\r\nok", await raw.ReadUntilAsync("\r\n\r\nok"), StringComparison.Ordinal);

        raw.Reset();

        await Wait.UntilAsync(() => proxy.Proxy.OpenConnections == 0, "the connection to end", seconds: 10);
        Assert.Equal(1, proxy.Proxy.Counters.FastPath);
        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Level >= LogLevel.Error);
    }

    /// <summary>A read cancelled while it waits on the pending receive ends cancelled; the bytes that receive brings are the next read's.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Reader_ReadCancelledWhileWaiting_TheNextReadGetsTheBytes(bool readiness)
    {
        var ended = 0;
        using var pair = await ReaderPair.StartAsync(readiness, onEnded: () => Interlocked.Increment(ref ended));
        var (client, reader) = (pair.Client, pair.Reader);

        await client.SendAsync("one"u8.ToArray());
        var first = await reader.ReadAsync();
        var one = System.Text.Encoding.ASCII.GetString(first.Buffer.ToArray());
        reader.AdvanceTo(first.Buffer.End);
        using var cancel = new CancellationTokenSource();
        var waiting = reader.ReadAsync(cancel.Token);
        Assert.False(waiting.IsCompleted);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await waiting);
        await client.SendAsync("two"u8.ToArray());
        var second = await reader.ReadAsync();
        var two = System.Text.Encoding.ASCII.GetString(second.Buffer.ToArray());
        reader.AdvanceTo(second.Buffer.End);
        client.Shutdown(SocketShutdown.Send);
        var end = await reader.ReadAsync();
        reader.Complete();

        Assert.Equal(("one", "two", true, 0L, 1), (one, two, end.IsCompleted, end.Buffer.Length, Volatile.Read(ref ended)));
    }

    /// <summary>
    /// CancelPendingRead ends a waiting read as cancelled, or the next read when none waits; bytes not consumed are read
    /// again at once, and a body past one block arrives whole across blocks while the client's bytes are received ahead.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Reader_CancelPendingReadAndUnconsumedBytes_BehaveAsAPipe(bool readiness)
    {
        using var pair = await ReaderPair.StartAsync(readiness);
        var (client, reader) = (pair.Client, pair.Reader);

        var waiting = reader.ReadAsync();
        Assert.False(waiting.IsCompleted);
        reader.CancelPendingRead();
        var cancelled = await waiting;
        reader.AdvanceTo(cancelled.Buffer.Start);
        reader.CancelPendingRead();
        var cancelledAhead = await reader.ReadAsync();
        reader.AdvanceTo(cancelledAhead.Buffer.Start);

        var payload = new byte[20_000];
        Random.Shared.NextBytes(payload);
        await client.SendAsync(payload);
        var received = new List<byte>();
        while (received.Count < payload.Length)
        {
            var read = await reader.ReadAsync();
            // Consume all but the last byte the first time: the next read returns at once with it.
            var keep = received.Count == 0 && read.Buffer.Length > 1 ? 1 : 0;
            received.AddRange(read.Buffer.Slice(0, read.Buffer.Length - keep).ToArray());
            reader.AdvanceTo(read.Buffer.GetPosition(read.Buffer.Length - keep));
        }

        reader.Complete();
        Assert.Equal((true, true, Convert.ToBase64String(payload)), (cancelled.IsCanceled, cancelledAhead.IsCanceled, Convert.ToBase64String(received.ToArray())));
    }

    /// <summary>
    /// Receiving pauses at 64 KiB unconsumed, but a read that examined everything and consumed nothing still receives:
    /// 200 KB arrive whole, then the end, without a byte consumed. (With the read receiving only below the bound, as the
    /// receive's own completion does, this hangs at 64 KiB: the bound holds.)
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Reader_ExaminedButNotConsumed_ReceivesPastTheBound(bool readiness)
    {
        using var pair = await ReaderPair.StartAsync(readiness);
        var (client, reader) = (pair.Client, pair.Reader);
        var payload = new byte[200_000];
        Random.Shared.NextBytes(payload);
        var sending = Task.Run(async () =>
        {
            await client.SendAsync(payload);
            client.Shutdown(SocketShutdown.Send);
        });

        ReadResult read;
        while (true)
        {
            read = await reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            if (read.IsCompleted)
            {
                break;
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }

        var received = read.Buffer.ToArray();
        reader.AdvanceTo(read.Buffer.End);
        reader.Complete();
        await sending;
        Assert.Equal(Convert.ToBase64String(payload), Convert.ToBase64String(received));
    }

    /// <summary>
    /// On the readiness engine a connection whose bytes were all consumed gives its blocks back while it waits for more
    /// (a keep-alive connection between requests holds none); on .NET's receive the pending receive holds one. The next
    /// bytes, and the end, still arrive.
    /// </summary>
    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 0)]
    public async Task Reader_EverythingConsumedWhileWaiting_HoldsBlocksOnlyOnSocketReceives(bool readiness, int heldWhileIdle)
    {
        var pool = new CountingPool();
        using var pair = await ReaderPair.StartAsync(readiness, pool);
        var (client, reader) = (pair.Client, pair.Reader);

        await client.SendAsync("GET / HTTP/1.1\r\n\r\n"u8.ToArray());
        var request = await reader.ReadAsync();
        reader.AdvanceTo(request.Buffer.End);
        var next = reader.ReadAsync();
        await Wait.UntilAsync(() => pool.Outstanding <= heldWhileIdle, "the idle reader to hold no more blocks than that", seconds: 10);
        var held = pool.Outstanding;
        await client.SendAsync("next"u8.ToArray());
        var nextRead = await next.AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        var text = System.Text.Encoding.ASCII.GetString(nextRead.Buffer.ToArray());
        reader.AdvanceTo(nextRead.Buffer.End);
        client.Shutdown(SocketShutdown.Send);
        var end = await reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        reader.Complete();

        Assert.Equal((heldWhileIdle, "next", true), (held, text, end.IsCompleted));
        Assert.Equal(0, pool.Outstanding);
    }

    /// <summary>Kestrel's blocks, counted while rented.</summary>
    private sealed class CountingPool : MemoryPool<byte>
    {
        private int _outstanding;

        public int Outstanding => Volatile.Read(ref _outstanding);

        public override int MaxBufferSize => 4096;

        public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
        {
            Interlocked.Increment(ref _outstanding);
            return new Block(this);
        }

        protected override void Dispose(bool disposing)
        {
        }

        private sealed class Block(CountingPool pool) : IMemoryOwner<byte>
        {
            private int _disposed;

            public Memory<byte> Memory { get; } = new byte[4096];

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _disposed, 1) == 0)
                {
                    Interlocked.Decrement(ref pool._outstanding);
                }
            }
        }
    }

    /// <summary>
    /// A connected pair of loopback sockets and a direct reader on the server's, receiving through the readiness engine
    /// when asked; disposed in the order that takes: the receiver closed before its socket.
    /// </summary>
    private sealed class ReaderPair : IDisposable
    {
        private readonly Socket _listener;
        private readonly Socket _server;
        private readonly ReadinessReceiver? _receiver;

        private ReaderPair(Socket listener, Socket client, Socket server, bool readiness, MemoryPool<byte> pool, Action onEnded)
        {
            (_listener, Client, _server) = (listener, client, server);
            _receiver = readiness ? ReadinessEngine.Shared.Register(server) : null;
            Reader = new DirectSocketReader(server, _receiver, pool, onEnded);
        }

        public Socket Client { get; }

        public DirectSocketReader Reader { get; }

        public static async Task<ReaderPair> StartAsync(bool readiness, MemoryPool<byte>? pool = null, Action? onEnded = null)
        {
            var (listener, client, server) = await LoopbackSockets.ConnectAsync();
            return new ReaderPair(listener, client, server, readiness, pool ?? MemoryPool<byte>.Shared, onEnded ?? (() => { }));
        }

        public void Dispose()
        {
            _receiver?.Close();
            _server.Dispose();
            Client.Dispose();
            _listener.Dispose();
        }
    }
}
