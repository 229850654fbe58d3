using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using Slipway.Core.Routing;
using Slipway.Proxy.Tests.Support;
using Slipway.Testing;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.Forwarding;

/// <summary>WebSockets through the proxy: echo, close either way, drain close, idle timeout.</summary>
public sealed class WebSocketTests : IAsyncLifetime
{
    private static readonly RoutePolicy WebSocketRoute = RoutePolicy.Default with { WebSocket = true };
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _backendSawClose = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TestBackend _backend = null!;

    public async Task InitializeAsync() =>
        _backend = await TestBackend.StartAsync("ws", EchoAsync, webSockets: true);

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    /// <summary>Echoes messages; "bye" makes the server start the close.</summary>
    private async Task EchoAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 426;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[4096];
        while (true)
        {
            WebSocketReceiveResult received;
            try
            {
                received = await socket.ReceiveAsync(buffer, context.RequestAborted);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
            {
                _backendSawClose.TrySetResult(null);
                return;
            }

            if (received.MessageType == WebSocketMessageType.Close)
            {
                _backendSawClose.TrySetResult(received.CloseStatus);
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                return;
            }

            var text = Encoding.UTF8.GetString(buffer, 0, received.Count);
            if (text == "bye")
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "server done", CancellationToken.None);
                _backendSawClose.TrySetResult(socket.CloseStatus);
                return;
            }

            await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, CancellationToken.None);
        }
    }

    private static async Task<ClientWebSocket> ConnectAsync(ProxyHarness proxy)
    {
        var client = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(new Uri($"ws://127.0.0.1:{proxy.Port}/socket"), timeout.Token);
        return client;
    }

    private static async Task<string> SendAndReceiveAsync(ClientWebSocket client, string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
        var buffer = new byte[4096];
        var received = await client.ReceiveAsync(buffer, timeout.Token);
        return received.MessageType == WebSocketMessageType.Close ? "(close)" : Encoding.UTF8.GetString(buffer, 0, received.Count);
    }

    [Fact]
    public async Task Echo_ThroughTheProxy_BothDirectionsWork()
    {
        await using var proxy = await ProxyHarness.StartAsync(Single("ws", null, WebSocketRoute, _backend.Endpoint()));
        using var client = await ConnectAsync(proxy);

        Assert.Equal("one", await SendAndReceiveAsync(client, "one"));
        Assert.Equal(new string('x', 3000), await SendAndReceiveAsync(client, new string('x', 3000)));
        Assert.Equal(1, proxy.Proxy.EndpointLoad.InFlight("ws"));
    }

    [Fact]
    public async Task ClientCloses_TheBackendSeesTheCloseAndAnswers()
    {
        await using var proxy = await ProxyHarness.StartAsync(Single("ws", null, WebSocketRoute, _backend.Endpoint()));
        using var client = await ConnectAsync(proxy);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "client done", timeout.Token);

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await _backendSawClose.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(WebSocketState.Closed, client.State);
        await Wait.UntilAsync(() => proxy.Proxy.EndpointLoad.InFlight("ws") == 0, "the closed WebSocket to leave the in-flight count", seconds: 10);
    }

    [Fact]
    public async Task BackendCloses_TheClientSeesTheClose()
    {
        await using var proxy = await ProxyHarness.StartAsync(Single("ws", null, WebSocketRoute, _backend.Endpoint()));
        using var client = await ConnectAsync(proxy);

        Assert.Equal("(close)", await SendAndReceiveAsync(client, "bye"));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
        Assert.Equal("server done", client.CloseStatusDescription);
    }

    [Fact]
    public async Task CloseWebSockets_ForTheEndpoint_ClientGetsGoingAwayAndBackendAClose()
    {
        await using var proxy = await ProxyHarness.StartAsync(Single("ws", null, WebSocketRoute, _backend.Endpoint()));
        using var client = await ConnectAsync(proxy);
        Assert.Equal("warm", await SendAndReceiveAsync(client, "warm"));

        Assert.Equal(1, proxy.Proxy.CloseWebSockets("ws"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = await client.ReceiveAsync(new byte[4096], timeout.Token);

        Assert.Equal(WebSocketMessageType.Close, received.MessageType);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, received.CloseStatus);

        // The client's answering Close goes on to the backend: a normal close handshake there too.
        await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "ok", timeout.Token);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await _backendSawClose.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        await Wait.UntilAsync(() => proxy.Proxy.EndpointLoad.InFlight("ws") == 0, "the closed WebSocket to leave the in-flight count", seconds: 10);
    }

    [Fact]
    public async Task IdleTunnel_IsClosedAfterTheIdleTimeout()
    {
        var route = WebSocketRoute with { IdleTimeout = TimeSpan.FromMilliseconds(300) };
        await using var proxy = await ProxyHarness.StartAsync(Single("ws", null, route, _backend.Endpoint()));
        using var client = await ConnectAsync(proxy);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        // Nobody speaks: the proxy cuts the tunnel; the client sees the connection end.
        var ended = await Record.ExceptionAsync(async () => await client.ReceiveAsync(new byte[16], timeout.Token));

        Assert.IsType<WebSocketException>(ended);
        Assert.False(timeout.IsCancellationRequested);
    }

    [Fact]
    public async Task RouteWithoutWebSocket_TheUpgradeIsNotForwarded()
    {
        await using var proxy = await ProxyHarness.StartAsync(Single("ws", null, null, _backend.Endpoint()));
        using var client = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var refused = await Record.ExceptionAsync(() => client.ConnectAsync(new Uri($"ws://127.0.0.1:{proxy.Port}/socket"), timeout.Token));

        Assert.IsType<WebSocketException>(refused);
        Assert.Equal(HttpStatusCode.UpgradeRequired, (HttpStatusCode)proxy.Sink.Samples.Single().StatusCode);
    }
}
