using System.Buffers;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Slipway.Proxy.Forwarding;
using Slipway.Proxy.Routing;
using System.Runtime.CompilerServices;

namespace Slipway.Proxy.FastPath;

internal sealed partial class FastPathConnection
{
    /// <summary>The status the client got (0 while none).</summary>
    private int _status;

    /// <summary>Body bytes read from the backend.</summary>
    private long _responseBytes;

    /// <summary>The proxy answered in the backend's place or cut a broken response.</summary>
    private bool _proxyFailure;

    /// <summary>
    /// The proxy aborted the client's connection itself (<see cref="BrokeOff"/>). The abort fires ConnectionClosed,
    /// which sets <see cref="_clientGone"/> whenever the transport gets to it: the sample must keep the 502 either way.
    /// </summary>
    private bool _cutByProxy;

    /// <summary>The client connection must end after this response.</summary>
    private bool _closeClient;

    /// <summary>
    /// One try against one endpoint: a pooled connection (or a new one within the route's connect timeout), the
    /// request written, the response head awaited within the first-byte timeout, then relayed. A pooled connection
    /// that fails before any response byte is most likely one the backend closed while idle: the request goes once
    /// more on a new connection, as SocketsHttpHandler does.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<AttemptOutcome> ExchangeAsync(
        CompiledRoute route, CompiledService service, CompiledRevision revision, CompiledEndpoint endpoint, bool setAffinityCookie, int attempt)
    {
        var pool = _engine.Pools.For(endpoint);
        var backend = pool.TryTake();
        var send = ArrayPool<byte>.Shared.Rent(SendBufferSize);
        try
        {
            var length = WriteRequest(send, pool.Authority, service.Policy.PreserveHost);
            while (true)
            {
                if (backend is null)
                {
                    _timeout.CancelAfter(route.ConnectTimeout);
                    try
                    {
                        backend = await pool.ConnectAsync(_timeout.Token).ConfigureAwait(false);
                    }
                    catch (Exception exception) when (exception is SocketException or OperationCanceledException)
                    {
                        return Failed(service, endpoint, AttemptOutcome.ConnectFailed, attempt, exception);
                    }
                    finally
                    {
                        ResetTimeout();
                    }
                }

                _timeout.CancelAfter(route.FirstByteTimeout);
                Exception? failure = null;
                var headRead = false;
                try
                {
                    _bodySent |= _head.Framing != BodyFraming.None;
                    await backend.Socket.SendAsync(send.AsMemory(0, length), SocketFlags.None, _timeout.Token).ConfigureAwait(false);

                    // The response head, read here rather than in a method of its own: one pooled state machine less.
                    bool ended;
                    while (!(headRead = TryResponseHead(backend, out ended)) && !ended)
                    {
                        var read = await backend.ReceiveAsync(_timeout.Token).ConfigureAwait(false);
                        if (read == 0)
                        {
                            break;
                        }

                        backend.Received(read);
                    }
                }
                catch (Exception exception) when (exception is SocketException or OperationCanceledException or IOException)
                {
                    failure = exception;
                }
                finally
                {
                    ResetTimeout();
                }

                if (!headRead)
                {
                    var reused = backend.Reused && backend.End == 0;
                    backend.Dispose();
                    backend = null;
                    if (reused && !_clientGone && failure is not OperationCanceledException)
                    {
                        continue;
                    }

                    var outcome = _clientGone ? AttemptOutcome.ClientAborted
                        : failure is OperationCanceledException ? AttemptOutcome.TimedOut
                        : AttemptOutcome.TransportFailed;
                    return outcome == AttemptOutcome.ClientAborted ? outcome : Failed(service, endpoint, outcome, attempt, failure);
                }

                _engine.Forwarder.ReportHealth(service, endpoint, failed: _engine.Forwarder.CountServerErrors && _response.Status >= 500);
                return await RelayAsync(route, revision, endpoint, pool, backend, setAffinityCookie).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(send);
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
