using System.Net;
using System.Net.Sockets;

namespace Slipway.Proxy.Forwarding;

/// <summary>
/// The one pooled HTTP/1.1 client to every backend. Nothing a browser-style client would do:
/// no proxy, no redirects, no decompression, no cookies, no trace header injection.
/// Connects through our own callback so each route's connect timeout runs on the injected clock.
/// </summary>
internal static class BackendClient
{
    public static HttpMessageInvoker Create(BackendClientOptions options, TimeProvider time)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ActivityHeadersPropagator = null,
            PooledConnectionLifetime = options.PooledConnectionLifetime,
            PooledConnectionIdleTimeout = options.PooledConnectionIdleTimeout,
            MaxConnectionsPerServer = options.MaxConnectionsPerServer,
            EnableMultipleHttp2Connections = false,
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context, time, options.MaxReadAhead, cancellationToken),
        };
        return new HttpMessageInvoker(handler, disposeHandler: true);
    }

    private static async ValueTask<Stream> ConnectAsync(
        SocketsHttpConnectionContext context, TimeProvider time, long maxReadAhead, CancellationToken cancellationToken)
    {
        var timeout = context.InitialRequestMessage is ProxyRequestMessage proxied
            ? proxied.ConnectTimeout
            : ProxyDefaults.Default.ConnectTimeout;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, linked.Token).ConfigureAwait(false);
            return new BackendStream(socket, maxReadAhead);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new SocketException((int)SocketError.TimedOut);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
