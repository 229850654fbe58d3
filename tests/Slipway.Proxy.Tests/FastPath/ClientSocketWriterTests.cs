using System.Net;
using System.Net.Sockets;
using Slipway.Proxy.FastPath;
using Slipway.Proxy.Transport;

namespace Slipway.Proxy.Tests.FastPath;

/// <summary>
/// The fast path's direct writer to a plain client's socket, on a real loopback connection, with each kind of send: the
/// socket's own and the readiness engine's (<see cref="ReadinessSender"/>, Linux).
/// </summary>
public sealed class ClientSocketWriterTests : IAsyncLifetime
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private Socket _server = null!;
    private Socket _client = null!;
    private ReadinessReceiver? _receiver;

    /// <summary>Bounds every socket wait: a writer that lost bytes would otherwise leave the reader waiting.</summary>
    private readonly CancellationTokenSource _bound = new(TimeSpan.FromSeconds(30));

    public async Task InitializeAsync()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(1);
        _client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        var accept = _listener.AcceptAsync();
        await _client.ConnectAsync(_listener.LocalEndPoint!);
        _server = await accept;
        _server.SendBufferSize = 4096;
    }

    public Task DisposeAsync()
    {
        _receiver?.Close();
        _client.Dispose();
        _server.Dispose();
        _listener.Dispose();
        _bound.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_Body_Larger_Than_The_Socket_Buffers_Arrives_Whole_Once_The_Client_Reads(bool readiness)
    {
        var writer = Writer(readiness);
        var body = new byte[4 * 1024 * 1024];
        Random.Shared.NextBytes(body);
        for (var offset = 0; offset < body.Length; offset += 10_000)
        {
            var piece = body.AsSpan(offset, Math.Min(10_000, body.Length - offset));
            piece.CopyTo(writer.GetSpan(piece.Length));
            writer.Advance(piece.Length);
        }

        var flush = writer.FlushAsync(_bound.Token);
        Assert.False(flush.IsCompleted, "4 MB cannot fit in the socket buffers before the client reads");

        var received = new byte[body.Length];
        var read = 0;
        while (read < received.Length)
        {
            var n = await _client.ReceiveAsync(received.AsMemory(read), SocketFlags.None, _bound.Token);
            Assert.NotEqual(0, n);
            read += n;
        }

        var result = await flush.AsTask().WaitAsync(_bound.Token);
        Assert.False(result.IsCompleted);
        Assert.Equal(body, received);
        Assert.True(writer.Capacity <= 16 * 1024, $"kept {writer.Capacity} bytes after the large body went out");
        writer.Complete();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_Client_That_Reset_The_Connection_Reads_As_Completed_Not_As_An_Exception(bool readiness)
    {
        var writer = Writer(readiness);
        _client.LingerState = new LingerOption(true, 0);
        _client.Close();

        var completed = false;
        for (var i = 0; i < 100 && !completed; i++)
        {
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"u8.CopyTo(writer.GetSpan(64));
            writer.Advance(38);
            completed = (await writer.FlushAsync(_bound.Token).AsTask().WaitAsync(_bound.Token)).IsCompleted;
        }

        Assert.True(completed);
        writer.Complete();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Writes_Between_Flushes_Go_Out_In_Order_And_A_Flush_With_Nothing_Sends_Nothing(bool readiness)
    {
        var writer = Writer(readiness);
        Assert.False((await writer.FlushAsync(_bound.Token)).IsCompleted);
        foreach (var part in new[] { "first ", "second ", "third" })
        {
            var bytes = System.Text.Encoding.ASCII.GetBytes(part);
            bytes.CopyTo(writer.GetMemory(bytes.Length));
            writer.Advance(bytes.Length);
        }

        await writer.FlushAsync(_bound.Token).AsTask().WaitAsync(_bound.Token);
        var buffer = new byte[64];
        var text = string.Empty;
        while (text.Length < "first second third".Length)
        {
            var n = await _client.ReceiveAsync(buffer, SocketFlags.None, _bound.Token);
            text += System.Text.Encoding.ASCII.GetString(buffer, 0, n);
        }

        Assert.Equal("first second third", text);
        writer.Complete();
    }

    /// <summary>
    /// A client that resets while a large flush waits for room: the flush reads as completed (the client is gone), it
    /// neither hangs nor throws.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_Client_That_Resets_While_A_Flush_Waits_Reads_As_Completed(bool readiness)
    {
        var writer = Writer(readiness);
        var body = new byte[4 * 1024 * 1024];
        body.CopyTo(writer.GetSpan(body.Length));
        writer.Advance(body.Length);
        var flush = writer.FlushAsync(_bound.Token);
        Assert.False(flush.IsCompleted, "4 MB cannot fit in the socket buffers before the client reads");

        _client.LingerState = new LingerOption(true, 0);
        _client.Close();

        Assert.True((await flush.AsTask().WaitAsync(_bound.Token)).IsCompleted);
        writer.Complete();
    }

    private ClientSocketWriter Writer(bool readiness)
    {
        if (!readiness)
        {
            return new ClientSocketWriter(_server);
        }

        _receiver = ReadinessEngine.Shared.Register(_server);
        return new ClientSocketWriter(_server, _receiver.Sender);
    }
}
