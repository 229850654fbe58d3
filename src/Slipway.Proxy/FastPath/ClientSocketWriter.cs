using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Slipway.Proxy.Transport;

namespace Slipway.Proxy.FastPath;

/// <summary>
/// The fast path's writer for a plain client connection: what it writes collects in one pooled array and goes to the
/// client's socket when flushed, from the thread that flushes. Kestrel's transport would copy it into its output pipe
/// and send it from its I/O queue, a hand-off to another thread per response. Not for TLS (the bytes must go through
/// the SslStream under the pipe). Only the fast path writes to it, one flush at a time; a failed send reads as
/// <see cref="FlushResult.IsCompleted"/> (the client is gone), as the pipe's flush does after the transport ends. On the
/// readiness engine (Linux, the direct transport's default) a flush is a <c>send</c> of our own
/// (<see cref="ReadinessSender"/>), which waits on that engine when the client's socket is full; otherwise the
/// socket's <see cref="Socket.SendAsync(ReadOnlyMemory{byte}, SocketFlags, CancellationToken)"/>.
/// </summary>
internal sealed class ClientSocketWriter : PipeWriter
{
    private const int InitialSize = 4096;

    /// <summary>
    /// A larger array (a large body's reads go straight into it) is given back after its flush: kept, it would stay
    /// with the connection through every small answer after it, 1,000 connections times its size.
    /// </summary>
    private const int MaxKeptSize = 16 * 1024;

    private readonly Socket _socket;
    private readonly ReadinessSender? _sender;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
    private int _count;

    public ClientSocketWriter(Socket socket, ReadinessSender? sender = null)
    {
        _socket = socket;
        _sender = sender;
    }

    public override void Advance(int bytes) => _count += bytes;

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_count);
    }

    public override Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_count);
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_count == 0)
        {
            return new ValueTask<FlushResult>(default(FlushResult));
        }

        ValueTask<int> send;
        try
        {
            send = _sender is not null
                ? _sender.SendAsync(_buffer.AsMemory(0, _count))
                : _socket.SendAsync(_buffer.AsMemory(0, _count), SocketFlags.None, cancellationToken);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            return new ValueTask<FlushResult>(Gone());
        }

        if (send.IsCompletedSuccessfully && send.Result == _count)
        {
            // The usual case: the kernel took it all at once.
            Sent();
            return new ValueTask<FlushResult>(default(FlushResult));
        }

        return SendRestAsync(send, cancellationToken);
    }

    /// <summary>
    /// A send that waits for room in the socket's buffer (a large body to a slow client). Both kinds of send complete
    /// only when all of it went, but .NET's API does not promise that, so a short count sends the rest.
    /// </summary>
    private async ValueTask<FlushResult> SendRestAsync(ValueTask<int> pending, CancellationToken cancellationToken)
    {
        try
        {
            var sent = await pending.ConfigureAwait(false);
            while (sent < _count)
            {
                sent += await (_sender is not null
                    ? _sender.SendAsync(_buffer.AsMemory(sent, _count - sent))
                    : _socket.SendAsync(_buffer.AsMemory(sent, _count - sent), SocketFlags.None, cancellationToken)).ConfigureAwait(false);
            }

            Sent();
            return default;
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            return Gone();
        }
    }

    /// <summary>The bytes written since the last flush.</summary>
    public int Buffered => _count;

    /// <summary>The bytes it holds between flushes (what the connection keeps allocated while idle).</summary>
    public int Capacity => _buffer.Length;

    private void Sent()
    {
        _count = 0;
        if (_buffer.Length > MaxKeptSize)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
        }
    }

    private FlushResult Gone()
    {
        _count = 0;
        return new FlushResult(isCanceled: false, isCompleted: true);
    }

    /// <summary>
    /// Nothing to cancel: a flush is awaited by the one writer before it writes again, and one waiting for a client
    /// that reads too slowly ends when the fast path aborts the connection (its sender is closed, its socket disposed).
    /// </summary>
    public override void CancelPendingFlush()
    {
    }

    /// <summary>Gives the array back; the socket stays the transport's.</summary>
    public override void Complete(Exception? exception = null)
    {
        var buffer = _buffer;
        _buffer = [];
        _count = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Reserve(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _count >= needed)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(Math.Max(_buffer.Length * 2, InitialSize), _count + needed));
        _buffer.AsSpan(0, _count).CopyTo(larger);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = larger;
    }
}
