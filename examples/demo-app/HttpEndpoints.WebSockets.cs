using System.Net.WebSockets;

namespace Slipway.DemoApp;

internal sealed partial class HttpEndpoints
{
    /// <summary>
    /// Echoes every WebSocket frame with its type and end-of-message flag, so
    /// message boundaries survive. A close from the client is answered with the
    /// same status and description; on shutdown the server closes with 1001.
    /// </summary>
    private async Task WebSocketEchoAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await TextAsync(context, StatusCodes.Status400BadRequest, "/ws expects a WebSocket upgrade\n");
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        // One send at a time: the echo and the shutdown close would otherwise race.
        using var sendLock = new SemaphoreSlim(1, 1);
        await using var onStopping = stopping.Register(() => _ = CloseOnShutdownAsync(socket, sendLock));
        var buffer = new byte[4096];
        try
        {
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var received = await socket.ReceiveAsync(buffer.AsMemory(), context.RequestAborted);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    if (socket.State == WebSocketState.CloseReceived)
                    {
                        await SendLockedAsync(sendLock, () => socket.CloseOutputAsync(
                            socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure,
                            socket.CloseStatusDescription,
                            context.RequestAborted));
                    }

                    break;
                }

                await SendLockedAsync(sendLock, () => socket.SendAsync(
                    buffer.AsMemory(0, received.Count),
                    received.MessageType,
                    received.EndOfMessage,
                    context.RequestAborted).AsTask());
            }
        }
        catch (WebSocketException e)
        {
            log.Warn("websocket ended abruptly", ("error", e.WebSocketErrorCode.ToString()));
        }
    }

    private async Task CloseOnShutdownAsync(WebSocket socket, SemaphoreSlim sendLock)
    {
        try
        {
            await SendLockedAsync(sendLock, () => socket.State == WebSocketState.Open
                ? socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "server stopping", CancellationToken.None)
                : Task.CompletedTask);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException)
        {
            // The connection ended while we were closing it; nothing left to tell.
        }
    }

    private static async Task SendLockedAsync(SemaphoreSlim sendLock, Func<Task> send)
    {
        await sendLock.WaitAsync();
        try
        {
            await send();
        }
        finally
        {
            sendLock.Release();
        }
    }
}
