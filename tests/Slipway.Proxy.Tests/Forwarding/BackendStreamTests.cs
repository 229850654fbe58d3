using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Slipway.Proxy.Forwarding;

namespace Slipway.Proxy.Tests.Forwarding;

/// <summary>The backend connection's read-ahead while a request body is sent, on a real loopback connection.</summary>
public sealed class BackendStreamTests
{
    private const int Rounds = 200;

    [Fact]
    public async Task ReadAsync_BodyWrittenWhileTheReadStopsTheReadAhead_GetsTheAnswer()
    {
        // SocketsHttpHandler reads a pooled connection's answer while it still writes the body: a backend that
        // answers before it reads the body (most do for a small POST) makes the end of the body race the first read.
        // A write that started a second read-ahead then took the answer while the handler's read waited on the
        // socket for bytes that never came: the request hung until the client gave up (examples/bharathva's gateway).
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        BackendStream.Sending.Value = new ProxyContext(new FeatureCollection(), TimeProvider.System);
        try
        {
            for (var round = 0; round < Rounds; round++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(listener.LocalEndPoint!);
                using var backend = await listener.AcceptAsync();
                await using var stream = new BackendStream(socket, maxReadAhead: 1024 * 1024);

                await stream.WriteAsync("5\r\nhello\r\n"u8.ToArray());
                var buffer = new byte[64];
                var read = stream.ReadAsync(buffer).AsTask();
                await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
                await backend.SendAsync("HTTP/1.1 200 OK\r\n"u8.ToArray());

                var answered = await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(30), TimeProvider.System)) == read;
                Assert.True(answered, $"round {round}: the read never got the answer that arrived (another read-ahead took it)");
                var count = await read;
                Assert.Equal("HTTP/1.1 200 OK\r\n", Encoding.ASCII.GetString(buffer, 0, count));
            }
        }
        finally
        {
            BackendStream.Sending.Value = null;
        }
    }
}
