using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Slipway.DemoApp.Tests;

public sealed class TcpModeTests
{
    [Fact]
    public async Task TcpMode_BytesSent_EchoedBackThenSigtermExitsZero()
    {
        await using var app = await DemoAppProcess.StartListeningAsync(new Dictionary<string, string> { ["DEMO_MODE"] = "tcp" });
        using var deadline = new CancellationTokenSource(DemoAppProcess.Timeout);
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, app.Port, deadline.Token);
        var stream = client.GetStream();
        var sent = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("ping ", 10_000)));

        var send = Task.Run(async () =>
        {
            await stream.WriteAsync(sent, deadline.Token);
            client.Client.Shutdown(SocketShutdown.Send);
        });
        var received = new MemoryStream();
        await stream.CopyToAsync(received, deadline.Token);
        await send;

        Assert.Equal(sent, received.ToArray());
        app.SendSigterm();
        Assert.Equal(0, await app.WaitForExitAsync());
    }

    [Fact]
    public async Task TcpMode_Http_NotSpoken()
    {
        await using var app = await DemoAppProcess.StartListeningAsync(new Dictionary<string, string> { ["DEMO_MODE"] = "tcp" });
        using var deadline = new CancellationTokenSource(DemoAppProcess.Timeout);
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, app.Port, deadline.Token);
        var request = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray();

        await client.GetStream().WriteAsync(request, deadline.Token);
        var buffer = new byte[request.Length];
        await client.GetStream().ReadExactlyAsync(buffer, deadline.Token);

        Assert.Equal(request, buffer);
    }
}
