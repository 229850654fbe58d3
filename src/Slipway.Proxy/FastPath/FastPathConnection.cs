using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Slipway.Proxy.Forwarding;
using Slipway.Proxy.LoadBalancing;
using Slipway.Proxy.Routing;
using Slipway.Proxy.Transport;

namespace Slipway.Proxy.FastPath;

/// <summary>
/// One client connection on the fast path: reads each request head off the pipe and either forwards the request
/// itself or, from the first request it does not take, hands the rest of the connection to Kestrel's HTTP layer.
/// The hand-over happens before anything of that request is consumed or answered, so Kestrel reads it from its first
/// byte and the client cannot tell (a connection never comes back: Kestrel owns it to the end).
/// </summary>
internal sealed partial class FastPathConnection : IRequestLine
{
    private readonly FastPathEngine _engine;
    private readonly ConnectionContext _connection;
    private readonly ConnectionDelegate _general;
    private PipeWriter _output;
    private readonly RequestHead _head = new();
    private readonly ResponseHead _response = new();
    private readonly byte[] _requestId = new byte[RequestIds.MaxClientLength];
    private readonly int _localPort;
    private readonly bool _https;
    private int _requestIdLength;
    private volatile bool _clientGone;
    private volatile bool _closeRequested;

    /// <summary>When the current wait times out (a timestamp of the engine's clock), <see cref="Disarmed"/> when nothing waits or it fired.</summary>
    private long _deadline = Disarmed;

    /// <summary>What the current wait is on: the client's pipe (idle between requests), a backend connection or a connect's source; null between waits.</summary>
    private volatile object? _waitingOn;

    /// <summary>The last wait ran past its deadline (<see cref="Disarm"/> found it fired).</summary>
    private volatile bool _timedOut;

    /// <param name="https">The connection came over TLS (its pipe is the decrypted one): the backend is told <c>X-Forwarded-Proto: https</c>.</param>
    public FastPathConnection(FastPathEngine engine, ConnectionContext connection, ConnectionDelegate general, bool https)
    {
        _engine = engine;
        _connection = connection;
        _general = general;
        _https = https;
        // A plain connection's responses go straight to its socket (ClientSocketWriter); over TLS through the pipe.
        _output = !https && connection.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket
            ? new ClientSocketWriter(socket, connection.Features.Get<IDirectTransportFeature>()?.Sender)
            : connection.Transport.Output;
        _localPort = (connection.LocalEndPoint as IPEndPoint)?.Port ?? 0;
        var peer = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        if (peer is { IsIPv4MappedToIPv6: true })
        {
            peer = peer.MapToIPv4();
        }

        ClientAddressText = peer?.ToString() ?? "unknown";
        ClientAddressBytes = Encoding.ASCII.GetBytes(ClientAddressText);
        ClientHash = peer is null ? 0 : ProxyContext.HashOf(peer);
    }

    public string ClientAddressText { get; }

    private byte[] ClientAddressBytes { get; }

    private uint ClientHash { get; }

    string IRequestLine.Method => _head.Method;

    string? IRequestLine.Host => Encoding.Latin1.GetString(_head.Value(_head.Host));

    string IRequestLine.PathAndQuery => Encoding.ASCII.GetString(_head.Target);

    string IRequestLine.RequestId => Encoding.ASCII.GetString(_requestId, 0, _requestIdLength);

    /// <summary>A deadline that never comes (a timeout that is off).</summary>
    public const long Never = long.MaxValue - 1;

    private const long Disarmed = long.MaxValue;

    /// <summary><see cref="_end"/> before the connection's first request ended.</summary>
    private const long NoTimestamp = long.MinValue;

    /// <summary>When the current request started (a timestamp of the engine's clock): a waiting flush's deadline counts from it.</summary>
    private long _start;

    /// <summary>
    /// When the last request ended (a timestamp of the engine's clock, read once as its response went out): its
    /// duration, the backend connection's return to the pool and the keep-alive wait after it all count from it.
    /// </summary>
    private long _end = NoTimestamp;

    /// <summary>
    /// The connection's one loop: each request head read off the pipe, then (when the fast path takes it) every try
    /// against an endpoint and the relay of the response, inline. One async method per connection, so its state
    /// machine is allocated once per connection, not per request: a method of its own per request or per try was a
    /// pooled box each, and with many connections waiting at once the pool's per-thread and per-core caches missed
    /// nearly every time (~420 B per request).
    /// </summary>
    public async Task RunAsync()
    {
        var input = _connection.Transport.Input;
        _engine.Heartbeat.Add(this);
        using var closed = _connection.ConnectionClosed.UnsafeRegister(static state => ((FastPathConnection)state!).OnClientGone(), this);
        using var closing = _connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested
            .UnsafeRegister(static state => ((FastPathConnection)state!).OnCloseRequested(), this);
        try
        {
            while (true)
            {
                ReadResult read;
                // Idle from the end of the last response (its timestamp), or from now on the connection's first wait.
                Arm(input, _engine.KeepAlive, _end != NoTimestamp ? _end : _engine.Time.GetTimestamp());
                try
                {
                    if (_closeRequested)
                    {
                        return;
                    }

                    read = await input.ReadAsync().ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is OperationCanceledException or IOException)
                {
                    // Idle past the keep-alive timeout, or the server is stopping, or the client left: with a reset too
                    // (ConnectionResetException), as wrk's 1,000 connections do when it stops. Kestrel's HTTP layer
                    // logs that at debug level; thrown from here it logged an error with a stack trace per connection.
                    return;
                }
                finally
                {
                    Disarm();
                }

                var buffer = read.Buffer;
                if (read.IsCanceled)
                {
                    // Idle past the keep-alive timeout, or the server is stopping, or the client left. Otherwise an
                    // interruption meant for the wait before (it raced its end): read again.
                    if (_timedOut || _closeRequested || _clientGone)
                    {
                        return;
                    }

                    input.AdvanceTo(buffer.Start);
                    continue;
                }

                if (buffer.IsEmpty && read.IsCompleted)
                {
                    input.AdvanceTo(buffer.End);
                    return;
                }

                // The request's one clock read until its end (see _end): the pick, the pool, the retry budget, passive
                // health and the first try's first-byte deadline all take it, where each read the clock itself before.
                var start = _engine.Time.GetTimestamp();
                if (RequestHeadParser.Parse(buffer, _head, _engine.MaxBody) != HeadParse.Parsed
                    || !TryTake(out var route, out var service, out var revision, out var setAffinityCookie))
                {
                    // Nothing of this request was consumed or answered: Kestrel reads it from its first byte, on the
                    // thread pool when the transport schedules inline (this may be the epoll thread).
                    input.AdvanceTo(buffer.Start);
                    _engine.Heartbeat.Remove(this);
                    ReleaseSocketWriter();
                    if (_connection.Features.Get<IDirectTransportFeature>() is { } direct)
                    {
                        // The direct transport: Kestrel's kind of pipes from here, and off the socket engine's thread.
                        direct.HandOver();
                        await Task.Yield();
                    }
                    else if (_engine.InlineTransport)
                    {
                        _connection.Transport = new ThreadPoolTransport(_connection.Transport);
                        await Task.Yield();
                    }

                    await _general(_connection).ConfigureAwait(false);
                    return;
                }

                // Taken: from here the fast path answers this request. Its body is read from the pipe's buffer, which
                // stays valid until the request is consumed at the end.
                _body = buffer.Slice(_head.Length, _head.WireLength);
                bool close;
                try
                {
                    Begin(service, start);
                    var now = start;
                    var filter = new EndpointFilter(now, service.Policy.MaxInFlight);
                    var idempotent = Forwarder.IsIdempotent(_head.Method);
                    var attempts = 0;
                    var outcome = AttemptOutcome.ConnectFailed;
                    CompiledEndpoint? endpoint = null;
                    while (true)
                    {
                        if (++attempts > 1)
                        {
                            // A try before this one awaited the backend: the request's start is stale for this one.
                            now = _engine.Time.GetTimestamp();
                        }

                        var picked = Forwarder.PickAndAcquire(ref filter, ClientHash, service, revision);
                        if (picked is null)
                        {
                            break;
                        }

                        endpoint = picked;
                        var pool = _engine.Pools.For(endpoint);
                        var backend = pool.TryTake(now);
                        var send = TakeSendBuffer();
                        try
                        {
                            // One try against one endpoint (see Exchange.cs): inline, as the loop it is part of.
                            var length = WriteRequest(send, pool.Authority, service.Policy.PreserveHost);
                            while (true)
                            {
                                if (_clientGone)
                                {
                                    backend?.Dispose();
                                    outcome = AttemptOutcome.ClientAborted;
                                    break;
                                }

                                if (backend is null)
                                {
                                    // A new connection (rare once the pool is warm): its connect takes a token, so it gets a source.
                                    using var connecting = new CancellationTokenSource();
                                    Arm(connecting, route.ConnectTimeout);
                                    try
                                    {
                                        backend = await pool.ConnectAsync(connecting.Token).ConfigureAwait(false);
                                    }
                                    catch (Exception exception) when (exception is SocketException or OperationCanceledException)
                                    {
                                        outcome = Failed(service, endpoint, AttemptOutcome.ConnectFailed, attempts, exception);
                                        break;
                                    }
                                    finally
                                    {
                                        Disarm();
                                    }

                                    now = _engine.Time.GetTimestamp();
                                }

                                Arm(backend, route.FirstByteTimeout, now);
                                var firstRead = backend.FirstReceiveAsync();
                                if (firstRead.IsCompleted && backend.Reused)
                                {
                                    // Readable while idle: the backend closed it, reset it or sent bytes nobody asked for. Not used.
                                    Disarm();
                                    Observe(firstRead);
                                    backend.Dispose();
                                    backend = pool.TryTake(now);
                                    continue;
                                }

                                Exception? failure = null;
                                var headRead = false;
                                var firstReadAwaited = false;
                                try
                                {
                                    _bodySent |= _head.Framing != BodyFraming.None;
                                    await backend.SendAsync(send.AsMemory(0, length)).ConfigureAwait(false);
                                    firstReadAwaited = true;
                                    var received = await firstRead.ConfigureAwait(false);
                                    while (received > 0)
                                    {
                                        backend.Received(received);
                                        if ((headRead = TryResponseHead(backend, out var ended)) || ended)
                                        {
                                            break;
                                        }

                                        received = await backend.ReceiveAsync().ConfigureAwait(false);
                                    }
                                }
                                catch (Exception exception) when (exception is SocketException or OperationCanceledException or IOException)
                                {
                                    failure = exception;
                                }
                                finally
                                {
                                    Disarm();
                                }

                                // A head that came as the deadline passed may have had its socket shut down under it: 504 all the same.
                                headRead &= !_timedOut;
                                if (!headRead)
                                {
                                    var reused = backend.Reused && backend.End == 0;
                                    if (!firstReadAwaited)
                                    {
                                        // The send failed with the first read still pending: it must end before its buffer goes back
                                        // to the pool, and closing the socket ends it.
                                        backend.Abort();
                                        await ObserveAsync(firstRead).ConfigureAwait(false);
                                    }

                                    backend.Dispose();
                                    backend = null;
                                    if (reused && !_clientGone && !_timedOut)
                                    {
                                        now = _engine.Time.GetTimestamp();
                                        continue;
                                    }

                                    outcome = _clientGone ? AttemptOutcome.ClientAborted
                                        : Failed(service, endpoint, _timedOut ? AttemptOutcome.TimedOut : AttemptOutcome.TransportFailed, attempts, failure);
                                    break;
                                }

                                // A success only rolls the health window, so the timestamp at hand serves; a failure counts from now.
                                var failed = _engine.Forwarder.CountServerErrors && _response.Status >= 500;
                                _engine.Forwarder.ReportHealth(service, endpoint, failed, failed ? _engine.Time.GetTimestamp() : now);
                                outcome = await RelayAsync(route, revision, endpoint, pool, backend, setAffinityCookie).ConfigureAwait(false);
                                break;
                            }
                        }
                        finally
                        {
                            GiveBackSendBuffer(send);
                            endpoint.State.Release();
                        }

                        if (outcome is AttemptOutcome.Forwarded or AttemptOutcome.ClientAborted
                            || !_engine.Forwarder.MayRetry(service, outcome, bodyReplayable: !_bodySent, idempotent, attempts))
                        {
                            break;
                        }

                        filter.Exclude(endpoint.Index);
                    }

                    if (outcome is not (AttemptOutcome.Forwarded or AttemptOutcome.ClientAborted) && !_clientGone)
                    {
                        var (status, body) = Forwarder.FailureAnswer(outcome, endpoint is not null);
                        await AnswerAsync(status, body).ConfigureAwait(false);
                    }

                    close = Finish(start, route, service, revision, endpoint);
                }
                finally
                {
                    _body = default;
                    input.AdvanceTo(buffer.GetPosition(_head.Length + _head.WireLength));
                }

                if (close)
                {
                    return;
                }
            }
        }
        finally
        {
            _engine.Heartbeat.Remove(this);
            ReleaseSocketWriter();
        }
    }

    /// <summary>
    /// Starts a wait on <paramref name="target"/> that the heartbeat interrupts once <paramref name="timeout"/> has
    /// passed: the client's pipe by cancelling its pending read, a backend connection by shutting its socket down (the
    /// pending operation ends), a source by cancelling it, a flush waiting for the client (<see cref="ArmUntil"/>) by
    /// aborting the client's connection. A client already gone interrupts it at once.
    /// </summary>
    private void Arm(object target, TimeSpan timeout) => Arm(target, timeout, _engine.Time.GetTimestamp());

    /// <summary><see cref="Arm(object, TimeSpan)"/> from <paramref name="now"/>, a timestamp the caller read already (no await since).</summary>
    private void Arm(object target, TimeSpan timeout, long now) => ArmUntil(target, _engine.Heartbeat.DeadlineAfter(timeout, now));

    /// <summary>Starts a wait on <paramref name="target"/> that the heartbeat interrupts at <paramref name="deadline"/> (a timestamp of the engine's clock).</summary>
    private void ArmUntil(object target, long deadline)
    {
        _timedOut = false;
        _waitingOn = target;
        Volatile.Write(ref _deadline, deadline);
        if (_clientGone)
        {
            Interrupt(target);
        }
    }

    /// <summary>Ends the wait; <see cref="_timedOut"/> tells whether its deadline passed first.</summary>
    private void Disarm()
    {
        if (Interlocked.Exchange(ref _deadline, Disarmed) == Disarmed)
        {
            _timedOut = true;
        }

        _waitingOn = null;
    }

    /// <summary>The heartbeat's check: interrupts the wait in progress when its deadline is past.</summary>
    public void Check(long now)
    {
        var deadline = Volatile.Read(ref _deadline);
        var target = _waitingOn;
        if (now < deadline || target is null || Interlocked.CompareExchange(ref _deadline, Disarmed, deadline) != deadline)
        {
            return;
        }

        Interrupt(target);
    }

    private void Interrupt(object target)
    {
        try
        {
            switch (target)
            {
                case PipeReader reader:
                    reader.CancelPendingRead();
                    break;
                case PipeWriter writer:
                    // A flush waiting for the client (the response data rate): the TLS pipe's flush is cancelled, and
                    // aborting the connection ends a send waiting on the client's socket (its sender is closed).
                    writer.CancelPendingFlush();
                    _connection.Abort(new ConnectionAbortedException("the response was not read at the minimum data rate"));
                    break;
                case BackendConnection backend:
                    backend.Socket.Shutdown(SocketShutdown.Both);
                    break;
                case CancellationTokenSource source:
                    source.Cancel();
                    break;
            }
        }
        catch (Exception exception) when (exception is ObjectDisposedException or SocketException or InvalidOperationException)
        {
            // The wait ended meanwhile (its socket or source disposed, the pipe completed).
        }
    }

    /// <summary>
    /// Back to the transport's output pipe (Kestrel's HTTP layer writes there from now on, or the connection ends).
    /// Every response went out whole before the next request was read, so nothing is left in the writer.
    /// </summary>
    private void ReleaseSocketWriter()
    {
        if (_output is ClientSocketWriter writer)
        {
            writer.Complete();
            _output = _connection.Transport.Output;
        }
    }

    private void OnClientGone()
    {
        _clientGone = true;
        if (_waitingOn is { } target)
        {
            Interrupt(target);
        }
    }

    /// <summary>The server is stopping (or handing its sockets over): an idle connection closes now, a busy one after its response.</summary>
    private void OnCloseRequested()
    {
        _closeRequested = true;
        if (_waitingOn is PipeReader reader)
        {
            Interrupt(reader);
        }
    }
}
