using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Slipway.Proxy.Transport;

/// <summary>
/// A client connection of the direct transport. Its <c>Transport</c> starts as a reader straight on the socket
/// (<see cref="DirectSocketReader"/>): a read resumes its caller on the thread that completed the receive, so the fast
/// path's request runs from the client's bytes to the backend and back without a thread hand-off (its responses go to
/// the socket through <see cref="IConnectionSocketFeature"/>, as on Kestrel's transport). <see cref="HandOver"/>
/// switches to pumped pipes for Kestrel's HTTP layer, which then runs on the thread pool as it does on Kestrel's own
/// transport. Every buffer comes from Kestrel's memory pool.
/// </summary>
internal sealed class DirectSocketConnection : ConnectionContext, IConnectionLifetimeFeature, IConnectionSocketFeature, IMemoryPoolFeature, IDirectTransportFeature
{
    private static long _lastId;

    private readonly Socket _socket;
    private readonly MemoryPool<byte> _pool;
    private readonly ReadinessReceiver? _receiver;
    private readonly PipeReader _directInput;
    private readonly PipeWriter _directOutput;
    private readonly CancellationTokenSource _closed = new();
    private Task? _pumpIn;
    private Task? _pumpOut;
    private int _closedFired;

    public DirectSocketConnection(Socket socket, MemoryPool<byte> pool, ReadinessEngine? readiness = null)
    {
        _socket = socket;
        _pool = pool;
        _receiver = readiness?.Register(socket);
        _directInput = new DirectSocketReader(socket, _receiver, pool, FireConnectionClosed);
        _directOutput = PipeWriter.Create(new DirectSocketStream(socket, _receiver?.Sender), new StreamPipeWriterOptions(pool, minimumBufferSize: 4096, leaveOpen: true));
        Transport = new DuplexPipe(_directInput, _directOutput);
        ConnectionId = "D" + Interlocked.Increment(ref _lastId).ToString("X8", System.Globalization.CultureInfo.InvariantCulture);
        LocalEndPoint = socket.LocalEndPoint;
        RemoteEndPoint = socket.RemoteEndPoint;
        ConnectionClosed = _closed.Token;
        Features.Set<IConnectionLifetimeFeature>(this);
        Features.Set<IConnectionSocketFeature>(this);
        Features.Set<IMemoryPoolFeature>(this);
        Features.Set<IDirectTransportFeature>(this);
    }

    public Socket Socket => _socket;

    public ReadinessSender? Sender => _receiver?.Sender;

    public MemoryPool<byte> MemoryPool => _pool;

    public override string ConnectionId { get; set; }

    public override IFeatureCollection Features { get; } = new FeatureCollection();

    public override IDictionary<object, object?> Items { get; set; } = new ConnectionItems();

    public override IDuplexPipe Transport { get; set; }

    public override CancellationToken ConnectionClosed { get; set; }

    public override void Abort(ConnectionAbortedException abortReason)
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Gone already.
        }

        _receiver?.Close();
        _socket.Dispose();
        FireConnectionClosed();
    }

    public void HandOver()
    {
        var input = new Pipe(new PipeOptions(
            _pool, readerScheduler: PipeScheduler.ThreadPool, writerScheduler: PipeScheduler.Inline,
            pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, useSynchronizationContext: false));
        var output = new Pipe(new PipeOptions(
            _pool, readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.ThreadPool,
            pauseWriterThreshold: 64 * 1024, resumeWriterThreshold: 32 * 1024, useSynchronizationContext: false));
        Transport = new DuplexPipe(input.Reader, output.Writer);
        _pumpIn = PumpInAsync(input.Writer);
        _pumpOut = PumpOutAsync(output.Reader);
    }

    /// <summary>Client bytes to Kestrel's input pipe, starting with those the fast path read and left unconsumed.</summary>
    private async Task PumpInAsync(PipeWriter input)
    {
        Exception? error = null;
        try
        {
            while (true)
            {
                var read = await _directInput.ReadAsync().ConfigureAwait(false);
                foreach (var segment in read.Buffer)
                {
                    input.Write(segment.Span);
                }

                _directInput.AdvanceTo(read.Buffer.End);
                var flush = await input.FlushAsync().ConfigureAwait(false);
                if (read.IsCompleted || flush.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or InvalidOperationException)
        {
            error = new ConnectionResetException(exception.Message, exception);
        }
        finally
        {
            await input.CompleteAsync(error).ConfigureAwait(false);
            FireConnectionClosed();
        }
    }

    /// <summary>Kestrel's output to the socket, each flush as it comes.</summary>
    private async Task PumpOutAsync(PipeReader output)
    {
        try
        {
            while (true)
            {
                var read = await output.ReadAsync().ConfigureAwait(false);
                foreach (var segment in read.Buffer)
                {
                    _directOutput.Write(segment.Span);
                }

                output.AdvanceTo(read.Buffer.End);
                if (!read.Buffer.IsEmpty)
                {
                    await _directOutput.FlushAsync().ConfigureAwait(false);
                }

                if (read.IsCompleted || read.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException)
        {
            // The client is gone: what Kestrel still writes goes nowhere.
        }
        finally
        {
            await output.CompleteAsync().ConfigureAwait(false);
        }
    }

    private void FireConnectionClosed()
    {
        if (Interlocked.Exchange(ref _closedFired, 1) == 0)
        {
            // Not inline: a callback must not run inside the read or abort that noticed the end.
            ThreadPool.UnsafeQueueUserWorkItem(static closed => closed.Cancel(), _closed, preferLocal: false);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (_pumpOut is not null)
        {
            // Kestrel completed its output when the connection ended: the pump sends what is left, then stops.
            await Transport.Output.CompleteAsync().ConfigureAwait(false);
            await Transport.Input.CompleteAsync().ConfigureAwait(false);
            await _pumpOut.ConfigureAwait(false);
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Gone already.
        }

        _receiver?.Close();
        _socket.Dispose();
        if (_pumpIn is not null)
        {
            await _pumpIn.ConfigureAwait(false);
        }

        await _directInput.CompleteAsync().ConfigureAwait(false);
        await _directOutput.CompleteAsync().ConfigureAwait(false);
        FireConnectionClosed();
    }
}
