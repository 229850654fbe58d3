using System.Buffers;

namespace Slipway.Proxy.Forwarding;

/// <summary>
/// Reading the response while the request body is still being sent. SocketsHttpHandler sends a whole HTTP/1.1
/// request body before it reads a byte of the response. A backend that answers while it reads (an echo, a
/// transcoder, anything that streams) then fills the socket buffers both ways — about 9 MB on loopback — and
/// stops reading to wait for its writes, while the handler waits for its own: neither moves until a timeout
/// (a 504 after the route's idle timeout). So while a body is being sent, a pump reads what the backend answers
/// into pooled chunks (up to the limit given, then it holds back as a full socket would), and the handler's first
/// read after the body stops the pump and is served from those chunks, then from the socket again.
/// </summary>
internal sealed partial class BackendStream
{
    private const int ChunkSize = 64 * 1024;

    private readonly long _maxReadAhead;
    private readonly Lock _gate = new();
    private readonly Queue<(byte[] Chunk, int Length)> _ahead = new();
    private int _aheadOffset;
    private long _aheadBytes;
    private Task? _pump;
    private CancellationTokenSource? _stopPump;
    private SemaphoreSlim? _room;
    private int _directReads;
    private bool _ended;
    private Exception? _pumpFailure;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Task? pump;
        lock (_gate)
        {
            // Counted before the pump is stopped, in the same lock that takes it: a body write racing this read (the
            // handler reads ahead on a pooled connection while it still sends the body) must not start a second pump,
            // which would read the answer into chunks while this read waits on the socket for bytes that never come.
            _directReads++;
            pump = _pump;
            _pump = null;
        }

        try
        {
            if (pump is not null)
            {
                await StopPumpAsync(pump).ConfigureAwait(false);
            }

            lock (_gate)
            {
                if (_ahead.Count > 0)
                {
                    return TakeAhead(buffer.Span);
                }

                if (_pumpFailure is { } failure)
                {
                    _pumpFailure = null;
                    throw new IOException("the backend connection failed while the request body was sent", failure);
                }

                if (_ended)
                {
                    return 0;
                }
            }

            return await base.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _directReads--;
            }
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stopPump?.Cancel();
            lock (_gate)
            {
                while (_ahead.TryDequeue(out var chunk))
                {
                    ArrayPool<byte>.Shared.Return(chunk.Chunk);
                }
            }
        }

        base.Dispose(disposing);
    }

    /// <summary>Called as a request body is written: from now until the handler reads, the backend's answer is read here.</summary>
    private void StartReadAhead()
    {
        lock (_gate)
        {
            // A read of the handler's own may be pending (its read-ahead of a pooled connection): it gets the first
            // bytes, and the pump starts at a later write of the body, once that read is done.
            if (_pump is not null || _directReads > 0 || _ended || _ahead.Count > 0)
            {
                return;
            }

            _stopPump = new CancellationTokenSource();
            _room = new SemaphoreSlim(0);
            _pump = Task.Run(() => PumpAsync(_stopPump.Token));
        }
    }

    /// <summary>Only while <see cref="_directReads"/> counts the caller, so no other pump starts before this one is gone.</summary>
    private async Task StopPumpAsync(Task pump)
    {
        await _stopPump!.CancelAsync().ConfigureAwait(false);
        await pump.ConfigureAwait(false);
        _stopPump.Dispose();
        _stopPump = null;
        _room!.Dispose();
        _room = null;
    }

    private async Task PumpAsync(CancellationToken stop)
    {
        try
        {
            while (true)
            {
                bool full;
                lock (_gate)
                {
                    full = _aheadBytes >= _maxReadAhead;
                }

                if (full)
                {
                    // Held back as a full socket would hold the backend back: only the handler's reads make room,
                    // and they start once the body is sent, so this waits for the stop.
                    await _room!.WaitAsync(stop).ConfigureAwait(false);
                    continue;
                }

                var chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
                int read;
                try
                {
                    read = await base.ReadAsync(chunk, stop).ConfigureAwait(false);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(chunk);
                    throw;
                }

                lock (_gate)
                {
                    if (read == 0)
                    {
                        ArrayPool<byte>.Shared.Return(chunk);
                        _ended = true;
                        return;
                    }

                    _ahead.Enqueue((chunk, read));
                    _aheadBytes += read;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The handler reads now; a cancelled socket read consumed nothing.
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            lock (_gate)
            {
                _pumpFailure = e;
            }
        }
    }

    /// <summary>Under <see cref="_gate"/>: copies from the oldest chunk read ahead.</summary>
    private int TakeAhead(Span<byte> destination)
    {
        var (chunk, length) = _ahead.Peek();
        var count = Math.Min(length - _aheadOffset, destination.Length);
        chunk.AsSpan(_aheadOffset, count).CopyTo(destination);
        _aheadOffset += count;
        _aheadBytes -= count;
        if (_aheadOffset == length)
        {
            _ahead.Dequeue();
            _aheadOffset = 0;
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return count;
    }
}
