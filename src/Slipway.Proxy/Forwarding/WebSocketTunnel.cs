using System.Buffers;

namespace Slipway.Proxy.Forwarding;

/// <summary>
/// Bytes both ways between an upgraded client connection and its backend. Either side ending
/// ends both; silence longer than the idle timeout ends both. On <see cref="RequestClose"/> the
/// proxy sends the client a Close frame (1001 going away) at the next frame boundary and drops
/// the backend's later frames, so the client's answering Close walks the backend through a
/// normal close handshake.
/// </summary>
internal sealed class WebSocketTunnel
{
    private const int BufferSize = 8 * 1024;
    private static readonly byte[] GoingAway = [0x88, 0x02, 0x03, 0xE9];
    private readonly Stream _client;
    private readonly Stream _backend;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeSpan _closeTimeout;
    private readonly CancellationTokenSource _cancel;
    private readonly SemaphoreSlim _clientWrites = new(1, 1);
    private readonly WebSocketFrameTracker _backendFrames = new();
    private int _closeRequested;
    private bool _closeSent;

    public WebSocketTunnel(Stream client, Stream backend, TimeSpan idleTimeout, TimeSpan closeTimeout, TimeProvider time)
    {
        _client = client;
        _backend = backend;
        _idleTimeout = idleTimeout;
        _closeTimeout = closeTimeout;
        _cancel = new CancellationTokenSource(idleTimeout, time);
    }

    public long BytesToBackend { get; private set; }

    public long BytesToClient { get; private set; }

    /// <summary>Runs until either side closes, the idle timeout passes or <paramref name="aborted"/> fires; returns why it ended.</summary>
    public async Task<string> RunAsync(CancellationToken aborted)
    {
        using var registration = aborted.UnsafeRegister(static state => ((WebSocketTunnel)state!).Stop(), this);
        var up = PumpToBackendAsync();
        var down = PumpToClientAsync();
        var first = await Task.WhenAny(up, down).ConfigureAwait(false);
        Stop();
        var reason = await first.ConfigureAwait(false);
        try
        {
            await Task.WhenAll(up, down).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The other direction was stopped on purpose.
        }

        _cancel.Dispose();
        return reason;
    }

    /// <summary>Asks the client to close (as the supervisor does before stopping the backend).</summary>
    public void RequestClose()
    {
        if (Interlocked.Exchange(ref _closeRequested, 1) == 0)
        {
            _ = SendCloseWhenIdleAsync();
        }
    }

    private void Stop()
    {
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already finished.
        }
    }

    private async Task<string> PumpToBackendAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var read = await _client.ReadAsync(buffer, _cancel.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return "client closed";
                }

                KeepAlive();
                await _backend.WriteAsync(buffer.AsMemory(0, read), _cancel.Token).ConfigureAwait(false);
                await _backend.FlushAsync(_cancel.Token).ConfigureAwait(false);
                BytesToBackend += read;
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or ObjectDisposedException)
        {
            return _cancel.IsCancellationRequested ? "idle timeout or stopped" : "client connection failed";
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<string> PumpToClientAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var read = await _backend.ReadAsync(buffer, _cancel.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return "backend closed";
                }

                KeepAlive();
                BytesToClient += read;
                await _clientWrites.WaitAsync(_cancel.Token).ConfigureAwait(false);
                try
                {
                    await ForwardToClientAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
                }
                finally
                {
                    _clientWrites.Release();
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or ObjectDisposedException)
        {
            return _cancel.IsCancellationRequested ? "idle timeout or stopped" : "backend connection failed";
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Called with the client-write gate held.</summary>
    private async Task ForwardToClientAsync(ReadOnlyMemory<byte> data)
    {
        if (_closeSent)
        {
            return;
        }

        if (Volatile.Read(ref _closeRequested) == 0)
        {
            var rest = data.Span;
            while (!rest.IsEmpty)
            {
                rest = rest[_backendFrames.Consume(rest)..];
            }

            await _client.WriteAsync(data, _cancel.Token).ConfigureAwait(false);
            await _client.FlushAsync(_cancel.Token).ConfigureAwait(false);
            return;
        }

        // Send up to the first frame boundary, then our Close; drop the rest.
        var offset = 0;
        while (!_backendFrames.AtBoundary && offset < data.Length)
        {
            offset += _backendFrames.Consume(data.Span[offset..]);
        }

        if (offset > 0)
        {
            await _client.WriteAsync(data[..offset], _cancel.Token).ConfigureAwait(false);
        }

        if (_backendFrames.AtBoundary)
        {
            await SendCloseAsync().ConfigureAwait(false);
        }
        else
        {
            await _client.FlushAsync(_cancel.Token).ConfigureAwait(false);
        }
    }

    private async Task SendCloseWhenIdleAsync()
    {
        try
        {
            await _clientWrites.WaitAsync(_cancel.Token).ConfigureAwait(false);
            try
            {
                if (!_closeSent && _backendFrames.AtBoundary)
                {
                    await SendCloseAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                _clientWrites.Release();
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The tunnel ended meanwhile.
        }
    }

    private async Task SendCloseAsync()
    {
        _closeSent = true;
        await _client.WriteAsync(GoingAway, _cancel.Token).ConfigureAwait(false);
        await _client.FlushAsync(_cancel.Token).ConfigureAwait(false);

        // The client has this long to answer before the tunnel is cut.
        _cancel.CancelAfter(_closeTimeout);
    }

    private void KeepAlive()
    {
        if (!_closeSent)
        {
            _cancel.CancelAfter(_idleTimeout);
        }
    }
}
