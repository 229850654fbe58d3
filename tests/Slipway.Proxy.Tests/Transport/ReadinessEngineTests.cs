using System.Net;
using System.Net.Sockets;
using Slipway.Proxy.Tests.Support;
using Slipway.Proxy.Transport;
using Slipway.Testing;

namespace Slipway.Proxy.Tests.Transport;

/// <summary>
/// <see cref="ReadinessEngine"/>: a receive calls <c>recv</c> only when epoll reported the socket readable since it was
/// last found drained, never loses bytes that came between a read and the wait, never wakes a socket for another's
/// stale event, and ends a wait when the socket is shut down, closed or reset. Real loopback sockets, Linux only (this
/// suite runs on Linux; the engine is not used elsewhere).
/// </summary>
public sealed class ReadinessEngineTests
{
    /// <summary>After a short read the next receive waits without a system call, and the next bytes complete it.</summary>
    [Fact]
    public async Task Receive_AfterAShortRead_WaitsWithoutARecvUntilTheNextEvent()
    {
        await using var pair = await Pair.ConnectAsync();
        var buffer = new byte[64];

        await pair.Client.SendAsync("hello"u8.ToArray());
        await Wait.UntilAsync(() => pair.Receiver.Events >= 1, "epoll to report the first bytes", seconds: 10);
        var first = await pair.Receiver.ReceiveAsync(buffer);
        var callsAfterFirst = pair.Receiver.ReceiveCalls;
        var waiting = pair.Receiver.ReceiveAsync(buffer);
        var waitedWithoutACall = !waiting.IsCompleted && pair.Receiver.ReceiveCalls == callsAfterFirst;
        await pair.Client.SendAsync("again"u8.ToArray());
        var second = await waiting.AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((5, 1L, true, 5), (first, callsAfterFirst, waitedWithoutACall, second));
        Assert.Equal("again", System.Text.Encoding.ASCII.GetString(buffer, 0, second));
    }

    /// <summary>
    /// A probe (a pooled backend connection's first read after idling) calls <c>recv</c> even on a drained socket, so
    /// bytes whose event the engine's thread has not handled yet are found before the request goes; finding nothing, it
    /// waits like any receive.
    /// </summary>
    [Fact]
    public async Task Probe_OnADrainedSocket_CallsRecvThenWaits()
    {
        await using var pair = await Pair.ConnectAsync();
        var buffer = new byte[64];
        await pair.Client.SendAsync("one"u8.ToArray());
        await Wait.UntilAsync(() => pair.Receiver.Events >= 1, "epoll to report the bytes", seconds: 10);
        Assert.Equal(3, await pair.Receiver.ReceiveAsync(buffer));
        var calls = pair.Receiver.ReceiveCalls;

        var probe = pair.Receiver.ProbeAsync(buffer);
        var (probedAtOnce, pendingAfterProbe) = (pair.Receiver.ReceiveCalls == calls + 1, !probe.IsCompleted);
        await pair.Client.SendAsync("two"u8.ToArray());

        Assert.Equal((true, true, 3), (probedAtOnce, pendingAfterProbe, await probe.AsTask().WaitAsync(TimeSpan.FromSeconds(10))));
    }

    /// <summary>A full read may have left bytes behind: the next receive tries <c>recv</c> again, with no event.</summary>
    [Fact]
    public async Task Receive_AfterAFullRead_ReadsTheRestWithoutWaiting()
    {
        await using var pair = await Pair.ConnectAsync();
        var buffer = new byte[4];

        await pair.Client.SendAsync("0123456789"u8.ToArray());
        await Wait.UntilAsync(() => pair.Receiver.Events >= 1, "epoll to report the bytes", seconds: 10);
        var reads = new List<int>();
        var rest = pair.Receiver.ReceiveAsync(buffer);
        while (rest.IsCompleted)
        {
            reads.Add(await rest);
            rest = pair.Receiver.ReceiveAsync(buffer);
        }

        Assert.Equal([4, 4, 2], reads);
        await pair.Client.SendAsync("x"u8.ToArray());
        Assert.Equal(1, await rest.AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
    }

    /// <summary>
    /// Bytes whose event came after a short read and before the next receive are read by that receive at once: the
    /// event count it compares moved on. (Were the count captured after the read, this receive would wait forever.)
    /// </summary>
    [Fact]
    public async Task Receive_BytesThatCameBetweenAReadAndTheNextReceive_AreReadAtOnce()
    {
        await using var pair = await Pair.ConnectAsync();
        var buffer = new byte[64];
        await pair.Client.SendAsync("one"u8.ToArray());
        await Wait.UntilAsync(() => pair.Receiver.Events >= 1, "epoll to report the first bytes", seconds: 10);
        Assert.Equal(3, await pair.Receiver.ReceiveAsync(buffer));

        await pair.Client.SendAsync("two"u8.ToArray());
        await Wait.UntilAsync(() => pair.Receiver.Events >= 2, "epoll to report the second bytes", seconds: 10);
        var second = pair.Receiver.ReceiveAsync(buffer);

        var completedAtOnce = second.IsCompleted;
        var read = await second.AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(completedAtOnce);
        Assert.Equal("two", System.Text.Encoding.ASCII.GetString(buffer, 0, read));
    }

    /// <summary>
    /// The peer's last bytes and its end, sent back to back, usually reach epoll as one event: the read that takes the
    /// bytes is short, yet the end is still to be read, so the next receive reads it rather than waiting for an event
    /// that will not come (found by DirectTransportTests' 200 KB read, which hung there).
    /// </summary>
    [Fact]
    public async Task Receive_TheEndReportedWithTheLastBytes_IsRead()
    {
        await using var pair = await Pair.ConnectAsync();
        var buffer = new byte[64];

        await pair.Client.SendAsync("last"u8.ToArray());
        pair.Client.Shutdown(SocketShutdown.Send);
        await Wait.UntilAsync(() => pair.Receiver.Events >= 1, "epoll to report the bytes", seconds: 10);
        var last = await pair.Receiver.ReceiveAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        var end = await pair.Receiver.ReceiveAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((4, 0), (last, end));
    }

    /// <summary>Ping-pong of one byte, 5,000 times: any byte lost between a read and the wait would hang a round.</summary>
    [Fact]
    public async Task Receive_ManyRoundTrips_LoseNothing()
    {
        await using var pair = await Pair.ConnectAsync();
        var buffer = new byte[16];
        var one = new byte[1];
        var total = 0;
        for (var i = 0; i < 5_000; i++)
        {
            one[0] = (byte)i;
            await pair.Client.SendAsync(one);
            var read = await pair.Receiver.ReceiveAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal((1, (byte)i), (read, buffer[0]));
            total += read;
        }

        Assert.Equal(5_000, total);
    }

    /// <summary>
    /// An event queued for a socket that was then closed carries the old registration's generation: when its slot went to
    /// another socket, the event does not reach that one (no wake, no <c>recv</c>).
    /// </summary>
    [Fact]
    public async Task StaleEvent_OfAClosedSocketWhoseSlotWasReused_DoesNotWakeTheNewOne()
    {
        var thread = new ReadinessThread("readiness test", 0);
        await using var old = await Pair.ConnectAsync(thread);
        var stale = ReadinessThread.DataOf(old.Receiver);
        old.Receiver.Close();
        await using var reused = await Pair.ConnectAsync(thread);
        var buffer = new byte[16];
        await reused.Client.SendAsync("a"u8.ToArray());
        await Wait.UntilAsync(() => reused.Receiver.Events >= 1, "epoll to report the bytes", seconds: 10);
        Assert.Equal(1, await reused.Receiver.ReceiveAsync(buffer));
        var waiting = reused.Receiver.ReceiveAsync(buffer);
        var (events, calls) = (reused.Receiver.Events, reused.Receiver.ReceiveCalls);

        thread.Dispatch(stale);

        Assert.Equal(old.Receiver.Slot, reused.Receiver.Slot);
        Assert.Equal((false, events, calls), (waiting.IsCompleted, reused.Receiver.Events, reused.Receiver.ReceiveCalls));
        thread.Dispatch(ReadinessThread.DataOf(reused.Receiver));
        Assert.Equal(events + 1, reused.Receiver.Events);
        Assert.False(waiting.IsCompleted);
    }

    /// <summary>Closing the receiver (as the socket is disposed) ends a waiting receive, as disposing a socket ends .NET's.</summary>
    [Fact]
    public async Task Close_EndsAWaitingReceiveAborted()
    {
        await using var pair = await Pair.ConnectAsync();
        var waiting = pair.Receiver.ReceiveAsync(new byte[16]);
        Assert.False(waiting.IsCompleted);

        pair.Receiver.Close();

        var error = await Assert.ThrowsAsync<SocketException>(() => waiting.AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(SocketError.OperationAborted, error.SocketErrorCode);
        var after = await Assert.ThrowsAsync<SocketException>(() => pair.Receiver.ReceiveAsync(new byte[16]).AsTask());
        Assert.Equal(SocketError.OperationAborted, after.SocketErrorCode);
    }

    /// <summary>Shutting the socket down (the fast path's timeouts and a client leaving do) ends a waiting receive with the end.</summary>
    [Fact]
    public async Task Shutdown_EndsAWaitingReceiveWithTheEnd()
    {
        await using var pair = await Pair.ConnectAsync();
        var waiting = pair.Receiver.ReceiveAsync(new byte[16]);
        Assert.False(waiting.IsCompleted);

        pair.Server.Shutdown(SocketShutdown.Both);

        Assert.Equal(0, await waiting.AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
    }

    /// <summary>The peer's close ends a waiting receive with 0; its reset with ConnectionReset.</summary>
    [Fact]
    public async Task PeerCloseAndReset_EndAWaitingReceive()
    {
        await using var closed = await Pair.ConnectAsync();
        await using var reset = await Pair.ConnectAsync();
        var closing = closed.Receiver.ReceiveAsync(new byte[16]);
        var resetting = reset.Receiver.ReceiveAsync(new byte[16]);

        closed.Client.Shutdown(SocketShutdown.Send);
        reset.Client.LingerState = new LingerOption(true, 0);
        reset.Client.Close();

        Assert.Equal(0, await closing.AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        var error = await Assert.ThrowsAsync<SocketException>(() => resetting.AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
    }

    /// <summary>300 sockets over the engine's threads, all waiting at once: each gets its own bytes.</summary>
    [Fact]
    public async Task ManySockets_EachWaitingReceiveGetsItsOwnBytes()
    {
        var pairs = new List<Pair>();
        try
        {
            for (var i = 0; i < 300; i++)
            {
                pairs.Add(await Pair.ConnectAsync());
            }

            var buffers = pairs.Select(_ => new byte[16]).ToArray();
            var waiting = pairs.Select((pair, i) => pair.Receiver.ReceiveAsync(buffers[i]).AsTask()).ToArray();
            for (var i = pairs.Count - 1; i >= 0; i--)
            {
                await pairs[i].Client.SendAsync(System.Text.Encoding.ASCII.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            var counts = await Task.WhenAll(waiting).WaitAsync(TimeSpan.FromSeconds(30));
            var texts = counts.Select((count, i) => System.Text.Encoding.ASCII.GetString(buffers[i], 0, count));

            Assert.Equal(Enumerable.Range(0, 300).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), texts);
        }
        finally
        {
            foreach (var pair in pairs)
            {
                await pair.DisposeAsync();
            }
        }
    }

    /// <summary>The engine's own connect (so .NET's engine never holds the socket): a listener answers, a closed port refuses.</summary>
    [Fact]
    public async Task Connect_ConnectsToAListenerAndIsRefusedByAClosedPort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var (socket, receiver) = await ReadinessEngine.Shared.ConnectAsync((IPEndPoint)listener.LocalEndPoint!, 0, CancellationToken.None);
        using var accepted = await listener.AcceptAsync();
        await accepted.SendAsync("hi"u8.ToArray());
        var buffer = new byte[8];
        var read = await receiver.ReceiveAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        receiver.Close();
        socket.Dispose();

        var refused = await Assert.ThrowsAsync<SocketException>(
            () => ReadinessEngine.Shared.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Slipway.Proxy.Tests.Support.ProxyHarness.DeadPort()), 0, CancellationToken.None).AsTask());

        Assert.Equal(2, read);
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    /// <summary>
    /// A connect that does not end (the listener's accept queue is full, so the kernel drops the SYN and retries later,
    /// as with a backend too busy to accept) ends when its token is cancelled (the fast path's connect timeout), and the
    /// engine connects the next one as before.
    /// </summary>
    [Fact]
    public async Task Connect_Pending_EndsWhenCancelled_AndTheNextConnects()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var address = (IPEndPoint)listener.LocalEndPoint!;
        var queued = new List<(Socket Socket, ReadinessReceiver Receiver)>();
        try
        {
            // The accept queue of a backlog of 0 holds one connection; the ones after it wait for their SYN's retry.
            var pending = Task.CompletedTask;
            using var cancel = new CancellationTokenSource();
            for (var i = 0; i < 8 && pending.IsCompleted; i++)
            {
                var attempt = ReadinessEngine.Shared.ConnectAsync(address, 0, cancel.Token).AsTask();
                pending = attempt;
                var done = await Task.WhenAny(attempt, Task.Delay(TimeSpan.FromSeconds(1)));
                if (done == attempt)
                {
                    queued.Add(await attempt);
                }
            }

            Assert.False(pending.IsCompleted, "every connect completed: the accept queue never filled");
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(TimeSpan.FromSeconds(10)));

            using var other = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            other.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            other.Listen();
            var (socket, receiver) = await ReadinessEngine.Shared.ConnectAsync((IPEndPoint)other.LocalEndPoint!, 0, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            using var accepted = await other.AcceptAsync();
            receiver.Close();
            socket.Dispose();
        }
        finally
        {
            foreach (var (socket, receiver) in queued)
            {
                receiver.Close();
                socket.Dispose();
            }
        }
    }

    /// <summary>
    /// Backend connections made off the engine's threads take lanes in a turn of their own: client sockets registered
    /// between them are still spread over every thread (sharing one turn, every client landed on the same thread).
    /// </summary>
    [Fact]
    public async Task Register_BetweenLanesTakenInTurn_StillSpreadsSocketsOverEveryThread()
    {
        var engine = new ReadinessEngine(2);
        var pairs = new List<Pair>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                pairs.Add(await Pair.ConnectAsync(engine: engine));
                engine.NextLane();
            }

            // Each thread numbers its own slots from 0: two sockets on each thread are slots 0 and 1 twice.
            Assert.Equal([0, 0, 1, 1], pairs.Select(pair => pair.Receiver.Slot).Order());
        }
        finally
        {
            foreach (var pair in pairs)
            {
                await pair.DisposeAsync();
            }
        }
    }

    /// <summary>A loopback pair whose server side receives through the engine.</summary>
    private sealed class Pair : IAsyncDisposable
    {
        private Socket? _listener;

        public required Socket Client { get; init; }

        public required Socket Server { get; init; }

        public required ReadinessReceiver Receiver { get; init; }

        public static async Task<Pair> ConnectAsync(ReadinessThread? thread = null, ReadinessEngine? engine = null)
        {
            var (listener, client, server) = await LoopbackSockets.ConnectAsync();
            var receiver = thread is null ? (engine ?? ReadinessEngine.Shared).Register(server) : thread.Register(server);
            return new Pair { Client = client, Server = server, Receiver = receiver, _listener = listener };
        }

        public ValueTask DisposeAsync()
        {
            Receiver.Close();
            Server.Dispose();
            Client.Dispose();
            _listener?.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
