using System.IO.Pipelines;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Slipway.Proxy.Forwarding;

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
    private readonly PipeWriter _output;
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
        _output = connection.Transport.Output;
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
                Arm(input, _engine.KeepAlive);
                try
                {
                    if (_closeRequested)
                    {
                        return;
                    }

                    read = await input.ReadAsync().ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
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

                var step = RequestHeadParser.Parse(buffer, _head, _engine.MaxBody) == HeadParse.Parsed
                    ? await ForwardAsync(input, buffer).ConfigureAwait(false)
                    : Step.General;
                if (step == Step.General)
                {
                    // Nothing of this request was consumed or answered: Kestrel reads it from its first byte, on the
                    // thread pool when the transport schedules inline (this may be the epoll thread).
                    input.AdvanceTo(buffer.Start);
                    _engine.Heartbeat.Remove(this);
                    if (_engine.InlineTransport)
                    {
                        _connection.Transport = new ThreadPoolTransport(_connection.Transport);
                        await Task.Yield();
                    }

                    await _general(_connection).ConfigureAwait(false);
                    return;
                }

                if (step == Step.Close)
                {
                    return;
                }
            }
        }
        finally
        {
            _engine.Heartbeat.Remove(this);
        }
    }

    /// <summary>
    /// Starts a wait on <paramref name="target"/> that the heartbeat interrupts once <paramref name="timeout"/> has
    /// passed: the client's pipe by cancelling its pending read, a backend connection by shutting its socket down (the
    /// pending operation ends), a source by cancelling it. A client already gone interrupts it at once.
    /// </summary>
    private void Arm(object target, TimeSpan timeout)
    {
        _timedOut = false;
        _waitingOn = target;
        Volatile.Write(ref _deadline, _engine.Heartbeat.DeadlineAfter(timeout));
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
                case BackendConnection backend:
                    backend.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Both);
                    break;
                case CancellationTokenSource source:
                    source.Cancel();
                    break;
            }
        }
        catch (Exception exception) when (exception is ObjectDisposedException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            // The wait ended meanwhile (its socket or source disposed, the pipe completed).
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

    /// <summary>What the connection does after a request.</summary>
    private enum Step
    {
        /// <summary>Read the next request.</summary>
        Next,

        /// <summary>Hand this request, and the connection, to the general path.</summary>
        General,

        /// <summary>Close the connection.</summary>
        Close,
    }
}
