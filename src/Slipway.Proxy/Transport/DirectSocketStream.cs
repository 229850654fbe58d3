using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;

namespace Slipway.Proxy.Transport;

/// <summary>
/// The client's socket as the stream under the direct transport's reader. A read is served on the thread that
/// completed the socket's receive, so the fast path runs there with no hand-off. Once a read returned bytes, the stream
/// keeps one receive pending ahead of the next read (into <see cref="_ahead"/>, a small buffer of its own): that is how
/// the client leaving is seen at once while nobody reads, during a backend exchange as between requests (Kestrel's
/// transport has its receive loop for it), and the bytes it brings are the next read's. A receive that ends (0 bytes,
/// a reset, the socket closed by an abort) is the end of the input and calls <c>onInputEnded</c>. A failed write is an
/// <see cref="IOException"/>.
/// </summary>
internal sealed class DirectSocketStream : Stream, IValueTaskSource<int>
{
    /// <summary>What a client usually sends at once: a request head, or a head with a small body (the fast path takes a body only when it came whole with its head).</summary>
    private const int AheadSize = 4096;

    private const int Idle = 0;
    private const int Receiving = 1;
    private const int Received = 2;

    private readonly Socket _socket;
    private readonly Action _onInputEnded;
    private readonly Action _onAheadCompleted;
    private readonly byte[] _ahead = GC.AllocateUninitializedArray<byte>(AheadSize);

    /// <summary><see cref="Idle"/>: no receive ahead (a read receives itself); <see cref="Receiving"/>: one is pending; <see cref="Received"/>: it ended, with bytes or the end.</summary>
    private int _state;
    private ValueTask<int> _aheadReceive;
    private int _aheadStart;
    private int _aheadCount;
    private bool _ended;

    /// <summary>1 while a read waits for the receive ahead; whoever exchanges it back to 0 (the receive, the read's cancellation) completes that read.</summary>
    private int _readerWaiting;
    private Memory<byte> _waitingBuffer;
    private CancellationTokenRegistration _waitingCancellation;
    private ManualResetValueTaskSourceCore<int> _waiting;

    public DirectSocketStream(Socket socket, Action onInputEnded)
    {
        _socket = socket;
        _onInputEnded = onInputEnded;
        _onAheadCompleted = OnAheadCompleted;
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        switch (Volatile.Read(ref _state))
        {
            case Received:
                return new ValueTask<int>(Drain(buffer.Span));
            case Receiving:
                return WaitForAhead(buffer, cancellationToken);
            default:
                break;
        }

        // No receive ahead yet (the connection's first read): this one receives straight into the caller's buffer.
        ValueTask<int> receive;
        try
        {
            receive = _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            return new ValueTask<int>(End());
        }

        if (receive.IsCompletedSuccessfully && receive.Result > 0)
        {
            ReceiveAhead();
            return receive;
        }

        return FirstReceiveAsync(receive);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> FirstReceiveAsync(ValueTask<int> receive)
    {
        int read;
        try
        {
            read = await receive.ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            read = 0;
        }

        if (read == 0)
        {
            return End();
        }

        ReceiveAhead();
        return read;
    }

    private ValueTask<int> WaitForAhead(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        _waiting.Reset();
        _waitingBuffer = buffer;
        if (cancellationToken.CanBeCanceled)
        {
            _waitingCancellation = cancellationToken.UnsafeRegister(static (state, token) => ((DirectSocketStream)state!).OnReadCanceled(token), this);
        }

        // A full fence each side (the receive publishes Received, then takes the waiter): one of the two serves the read.
        Interlocked.Exchange(ref _readerWaiting, 1);
        if (Volatile.Read(ref _state) == Received && Interlocked.Exchange(ref _readerWaiting, 0) == 1)
        {
            _waitingCancellation.Unregister();
            _waitingBuffer = default;
            return new ValueTask<int>(Drain(buffer.Span));
        }

        // Cancelled before it waited (the registration ran at once and found no read to end): ends now.
        if (cancellationToken.IsCancellationRequested && Interlocked.Exchange(ref _readerWaiting, 0) == 1)
        {
            _waitingCancellation.Unregister();
            _waitingBuffer = default;
            return ValueTask.FromCanceled<int>(cancellationToken);
        }

        return new ValueTask<int>(this, _waiting.Version);
    }

    private void OnReadCanceled(CancellationToken token)
    {
        if (Interlocked.Exchange(ref _readerWaiting, 0) == 1)
        {
            // The receive ahead stays pending: the next read takes what it brings.
            _waitingBuffer = default;
            _waiting.SetException(new OperationCanceledException(token));
        }
    }

    /// <summary>Starts the receive that runs ahead of the next read; called once the last one's bytes were handed out.</summary>
    private void ReceiveAhead()
    {
        Volatile.Write(ref _state, Receiving);
        try
        {
            _aheadReceive = _socket.ReceiveAsync(_ahead.AsMemory(), SocketFlags.None);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            _aheadReceive = new ValueTask<int>(Task.FromException<int>(exception));
        }

        if (_aheadReceive.IsCompleted)
        {
            OnAheadCompleted();
        }
        else
        {
            _aheadReceive.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onAheadCompleted);
        }
    }

    /// <summary>The receive ahead ended (on the socket engine's thread): its bytes go to the read waiting for them, or wait for the next.</summary>
    private void OnAheadCompleted()
    {
        int read;
        try
        {
            read = _aheadReceive.GetAwaiter().GetResult();
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            read = 0;
        }

        _aheadReceive = default;
        _aheadStart = 0;
        _aheadCount = read;
        if (read == 0)
        {
            _ended = true;
            _onInputEnded();
        }

        Interlocked.Exchange(ref _state, Received);
        if (Interlocked.Exchange(ref _readerWaiting, 0) == 1)
        {
            _waitingCancellation.Unregister();
            var buffer = _waitingBuffer;
            _waitingBuffer = default;
            _waiting.SetResult(Drain(buffer.Span));
        }
    }

    /// <summary>Hands out what the receive ahead brought; once all of it went, the next receive ahead starts.</summary>
    private int Drain(Span<byte> buffer)
    {
        if (_ended)
        {
            return 0;
        }

        var count = Math.Min(buffer.Length, _aheadCount);
        _ahead.AsSpan(_aheadStart, count).CopyTo(buffer);
        _aheadStart += count;
        _aheadCount -= count;
        if (_aheadCount == 0)
        {
            ReceiveAhead();
        }

        return count;
    }

    private int End()
    {
        _ended = true;
        Volatile.Write(ref _state, Received);
        _onInputEnded();
        return 0;
    }

    int IValueTaskSource<int>.GetResult(short token) => _waiting.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _waiting.GetStatus(token);

    void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _waiting.OnCompleted(continuation, state, token, flags);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            while (!buffer.IsEmpty)
            {
                var sent = await _socket.SendAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                buffer = buffer[sent..];
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            throw new IOException("the client connection is gone", exception);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("the direct transport is asynchronous only");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("the direct transport is asynchronous only");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
