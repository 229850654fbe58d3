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
    private PipeWriter _output;
    private readonly RequestHead _head = new();
    private readonly ResponseHead _response = new();
    private readonly byte[] _requestId = new byte[RequestIds.MaxClientLength];
    private readonly int _localPort;
    private readonly bool _https;
    private CancellationTokenSource _timeout;
    private int _requestIdLength;
    private volatile bool _clientGone;
    private volatile bool _closeRequested;
    private volatile bool _idle;

    /// <param name="https">The connection came over TLS (its pipe is the decrypted one): the backend is told <c>X-Forwarded-Proto: https</c>.</param>
    public FastPathConnection(FastPathEngine engine, ConnectionContext connection, ConnectionDelegate general, bool https)
    {
        _engine = engine;
        _connection = connection;
        _general = general;
        _https = https;
        // A plain connection's responses go straight to its socket (ClientSocketWriter); over TLS through the pipe.
        _output = !https && connection.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket
            ? new ClientSocketWriter(socket)
            : connection.Transport.Output;
        _timeout = new CancellationTokenSource(Timeout.InfiniteTimeSpan, engine.Time);
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

    public async Task RunAsync()
    {
        var input = _connection.Transport.Input;
        using var closed = _connection.ConnectionClosed.UnsafeRegister(static state => ((FastPathConnection)state!).OnClientGone(), this);
        using var closing = _connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested
            .UnsafeRegister(static state => ((FastPathConnection)state!).OnCloseRequested(), this);
        try
        {
            while (true)
            {
                ReadResult read;
                _timeout.CancelAfter(_engine.KeepAlive);
                _idle = true;
                try
                {
                    if (_closeRequested)
                    {
                        return;
                    }

                    read = await input.ReadAsync(_timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Idle past the keep-alive timeout, or the server is stopping, or the client left.
                    return;
                }
                finally
                {
                    _idle = false;
                }

                ResetTimeout();
                var buffer = read.Buffer;
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
                    ReleaseSocketWriter();
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
            ReleaseSocketWriter();
            _timeout.Dispose();
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
        Cancel();
    }

    /// <summary>The server is stopping (or handing its sockets over): an idle connection closes now, a busy one after its response.</summary>
    private void OnCloseRequested()
    {
        _closeRequested = true;
        if (_idle)
        {
            Cancel();
        }
    }

    private void Cancel()
    {
        try
        {
            _timeout.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The connection ended meanwhile.
        }
    }

    /// <summary>Disarms the timeout; a fired one is replaced (a cancelled source cannot be reset).</summary>
    private void ResetTimeout()
    {
        if (!_timeout.TryReset())
        {
            _timeout.Dispose();
            _timeout = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _engine.Time);
            if (_clientGone)
            {
                _timeout.Cancel();
            }
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
