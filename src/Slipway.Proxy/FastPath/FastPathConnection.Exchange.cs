using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Slipway.Proxy.Forwarding;
using Slipway.Proxy.Routing;

namespace Slipway.Proxy.FastPath;

internal sealed partial class FastPathConnection
{
    /// <summary>The status the client got (0 while none).</summary>
    private int _status;

    /// <summary>Body bytes read from the backend.</summary>
    private long _responseBytes;

    /// <summary><see cref="_responseBytes"/> when the last flush started: what a flush sends is the difference.</summary>
    private long _flushedBytes;

    /// <summary>The proxy answered in the backend's place or cut a broken response.</summary>
    private bool _proxyFailure;

    /// <summary>
    /// The proxy aborted the client's connection itself (<see cref="BrokeOff"/>). The abort fires ConnectionClosed,
    /// which sets <see cref="_clientGone"/> whenever the transport gets to it: the sample must keep the 502 either way.
    /// </summary>
    private bool _cutByProxy;

    /// <summary>The client connection must end after this response.</summary>
    private bool _closeClient;

    // One try against one endpoint, inline in RunAsync's loop: a pooled connection (or a new one within the route's
    // connect timeout), the request written, the response head awaited within the first-byte timeout, then relayed.
    // The response's first read is started before the request is sent, as SocketsHttpHandler does: on a pooled
    // connection it is also the check that nothing came while it was idle (the backend's close, or bytes nobody asked
    // for), with no syscall of its own; such a connection is dropped unused and the next one taken. A pooled
    // connection that fails before any response byte is most likely one the backend closed in between: the request
    // goes once more on a new connection.

    /// <summary>Ends a socket read that completed at once, whatever its result (a reset comes as an exception).</summary>
    private static void Observe(ValueTask<int> read)
    {
        try
        {
            read.GetAwaiter().GetResult();
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or IOException)
        {
            // A reset or a cancellation: the connection is dropped either way.
        }
    }

    private static async ValueTask ObserveAsync(ValueTask<int> read)
    {
        try
        {
            await read.ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The socket was closed under it: that is how it ends.
        }
    }

    /// <summary>
    /// True when a final response head is in <see cref="_response"/> (1xx interim responses are dropped, as
    /// SocketsHttpHandler drops them); <paramref name="ended"/> when none can come: the backend sent something that
    /// is not HTTP/1.x, a head over the limit, or a switch of protocols nobody asked for.
    /// </summary>
    private bool TryResponseHead(BackendConnection backend, out bool ended)
    {
        while (true)
        {
            ended = false;
            if (ResponseHeadParser.TryParse(backend.Unread, _response, out var complete))
            {
                if (_response.Status is >= 100 and < 200)
                {
                    if (_response.Status == 101)
                    {
                        // A switch nobody asked for (the fast path forwards no upgrades).
                        ended = true;
                        return false;
                    }

                    backend.Consume(_response.Length);
                    continue;
                }

                ResponseHeadParser.Settle(_response);
                return true;
            }

            ended = complete || backend.End - backend.Start >= BackendConnection.MaxHeadLength;
            return false;
        }
    }

    private AttemptOutcome Failed(CompiledService service, CompiledEndpoint endpoint, AttemptOutcome outcome, int attempt, Exception? exception)
    {
        if (_clientGone)
        {
            return AttemptOutcome.ClientAborted;
        }

        _engine.Forwarder.ReportHealth(service, endpoint, failed: true);
        if (_engine.Logger.IsEnabled(LogLevel.Debug))
        {
            Log.AttemptFailed(_engine.Logger, endpoint.Id, outcome.ToString(), attempt, exception ?? new IOException("the backend closed the connection or sent no HTTP/1.x response"));
        }

        return outcome;
    }
}
