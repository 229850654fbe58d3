using System.Net;
using System.Net.Sockets;
using Slipway.Proxy.Tests.Support;
using Slipway.Proxy.Transport;
using Slipway.Testing;

namespace Slipway.Proxy.Tests.Transport;

/// <summary>
/// <see cref="ReadinessSender"/>: a <c>send</c> of our own that takes everything at once in the usual case, waits for
/// epoll's output edge when the socket's buffer is full and then sends the rest, and fails (never hangs, never throws
/// <see cref="ObjectDisposedException"/>) when the peer resets, the socket is shut down or closed. Real loopback
/// sockets with small buffers, Linux only (the engine is not used elsewhere).
/// </summary>
public sealed class ReadinessSenderTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>A small send goes in the one call, completed before it returns.</summary>
    [Fact]
    public async Task Send_ThatFits_CompletesAtOnceInOneCall()
    {
        await using var pair = await SmallBuffer.ConnectAsync();
        var send = pair.Sender.SendAsync("HTTP/1.1 200 OK\r\n\r\n"u8.ToArray());

        Assert.Equal((true, 19, 1L, 0L), (send.IsCompleted, await send, pair.Sender.SendCalls, pair.Sender.Waits));
        Assert.Equal("HTTP/1.1 200 OK\r\n\r\n", System.Text.Encoding.ASCII.GetString(await pair.ReadAsync(19)));
    }

    /// <summary>
    /// 4 MB to a peer that does not read yet: the send fills the buffers, finds them full (<c>EAGAIN</c>) and waits;
    /// as the peer reads, epoll's output edges bring the rest, in order, and the send completes with all of it. Without
    /// the output edge in the socket's registration the send would wait forever.
    /// </summary>
    [Fact]
    public async Task Send_LargerThanTheBuffersToASlowReader_WaitsForRoomThenSendsTheRest()
    {
        await using var pair = await SmallBuffer.ConnectAsync();
        var body = new byte[4 * 1024 * 1024];
        Random.Shared.NextBytes(body);

        var send = pair.Sender.SendAsync(body);
        var (pendingAtFirst, waits) = (!send.IsCompleted, pair.Sender.Waits);
        var received = await pair.ReadAsync(body.Length);

        Assert.Equal((true, 1L), (pendingAtFirst, waits));
        Assert.Equal(body.Length, await send.AsTask().WaitAsync(Bound));
        Assert.Equal(body, received);
    }

    /// <summary>The peer resets while a send waits for room: the send fails with a socket error.</summary>
    [Fact]
    public async Task Send_ThePeerResetsWhileItWaits_FailsWithTheReset()
    {
        await using var pair = await SmallBuffer.ConnectAsync();
        var send = pair.Sender.SendAsync(new byte[4 * 1024 * 1024]);
        Assert.False(send.IsCompleted);

        pair.Client.LingerState = new LingerOption(true, 0);
        pair.Client.Close();

        var error = await Assert.ThrowsAsync<SocketException>(() => send.AsTask().WaitAsync(Bound));
        Assert.Contains(error.SocketErrorCode, new[] { SocketError.ConnectionReset, SocketError.Shutdown });
    }

    /// <summary>Shutting the socket down (the fast path's backend timeout does) ends a waiting send at once.</summary>
    [Fact]
    public async Task Send_TheSocketIsShutDownWhileItWaits_Fails()
    {
        await using var pair = await SmallBuffer.ConnectAsync();
        var send = pair.Sender.SendAsync(new byte[4 * 1024 * 1024]);
        Assert.False(send.IsCompleted);

        pair.Server.Shutdown(SocketShutdown.Both);

        var error = await Assert.ThrowsAsync<SocketException>(() => send.AsTask().WaitAsync(Bound));
        Assert.Equal(SocketError.Shutdown, error.SocketErrorCode);
    }

    /// <summary>
    /// Closing the registration (before the socket is disposed, as every owner does) ends a waiting send aborted; a send
    /// on the disposed socket fails the same way, not with <see cref="ObjectDisposedException"/>.
    /// </summary>
    [Fact]
    public async Task Send_TheSocketIsClosed_FailsAborted()
    {
        await using var pair = await SmallBuffer.ConnectAsync();
        var send = pair.Sender.SendAsync(new byte[4 * 1024 * 1024]);
        Assert.False(send.IsCompleted);

        pair.Receiver.Close();
        pair.Server.Dispose();

        var waiting = await Assert.ThrowsAsync<SocketException>(() => send.AsTask().WaitAsync(Bound));
        var after = await Assert.ThrowsAsync<SocketException>(() => pair.Sender.SendAsync(new byte[16]).AsTask());
        Assert.Equal((SocketError.OperationAborted, SocketError.OperationAborted), (waiting.SocketErrorCode, after.SocketErrorCode));
    }

    /// <summary>
    /// The socket is registered for output too, and epoll reports a new registration writable at once: that event wakes
    /// sends only. Counted as input, it would make a receive that found the socket drained call <c>recv</c> again.
    /// </summary>
    [Fact]
    public async Task Register_TheFirstWritableEvent_IsNotCountedAsInput()
    {
        await using var pair = await SmallBuffer.ConnectAsync();
        await Wait.UntilAsync(() => pair.Sender.Events >= 1, "epoll to report the new registration writable", seconds: 10);

        Assert.Equal(0, pair.Receiver.Events);
        await pair.Client.SendAsync("x"u8.ToArray());
        await Wait.UntilAsync(() => pair.Receiver.Events >= 1, "epoll to report the byte", seconds: 10);
    }

    /// <summary>
    /// The engine's own connect adds the socket to epoll once <c>connect</c> started, so the fresh socket's state (hung
    /// up) is never reported as the end: after a short read the next receive waits without a <c>recv</c>, and a send
    /// goes out at once.
    /// </summary>
    [Fact]
    public async Task Connect_TheConnectedSocketSendsAtOnceAndWaitsForInputWithoutARecv()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var (socket, receiver) = await ReadinessEngine.Shared.ConnectAsync((IPEndPoint)listener.LocalEndPoint!, 0, CancellationToken.None);
        using var accepted = await listener.AcceptAsync();
        try
        {
            var send = receiver.Sender.SendAsync("ping"u8.ToArray());
            Assert.True(send.IsCompletedSuccessfully);
            var buffer = new byte[16];
            Assert.Equal(4, await accepted.ReceiveAsync(buffer));

            await accepted.SendAsync("pong"u8.ToArray());
            Assert.Equal(4, await receiver.ReceiveAsync(buffer).AsTask().WaitAsync(Bound));
            var calls = receiver.ReceiveCalls;
            var waiting = receiver.ReceiveAsync(buffer);

            Assert.Equal((false, calls), (waiting.IsCompleted, receiver.ReceiveCalls));
            await accepted.SendAsync("more"u8.ToArray());
            Assert.Equal(4, await waiting.AsTask().WaitAsync(Bound));
        }
        finally
        {
            receiver.Close();
            socket.Dispose();
        }
    }

    /// <summary>A connected pair whose sending side (the accepted socket, on the engine) has a small buffer.</summary>
    private sealed class SmallBuffer : IAsyncDisposable
    {
        private Socket? _listener;

        public required Socket Client { get; init; }

        public required Socket Server { get; init; }

        public required ReadinessReceiver Receiver { get; init; }

        public ReadinessSender Sender => Receiver.Sender;

        public static async Task<SmallBuffer> ConnectAsync()
        {
            // The reader's buffer stays the default (~128 KiB until it reads): shrunk after the connect, the window it
            // advertised no longer fits it and the sender crawls on zero-window probes.
            var (listener, client, server) = await LoopbackSockets.ConnectAsync();
            server.SendBufferSize = 4096;
            return new SmallBuffer { Client = client, Server = server, Receiver = ReadinessEngine.Shared.Register(server), _listener = listener };
        }

        /// <summary>Reads exactly <paramref name="count"/> bytes from the client's side.</summary>
        public async Task<byte[]> ReadAsync(int count)
        {
            using var bound = new CancellationTokenSource(Bound);
            var received = new byte[count];
            var read = 0;
            while (read < count)
            {
                var n = await Client.ReceiveAsync(received.AsMemory(read), SocketFlags.None, bound.Token);
                Assert.NotEqual(0, n);
                read += n;
            }

            return received;
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
