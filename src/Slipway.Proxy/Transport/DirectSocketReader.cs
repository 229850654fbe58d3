using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace Slipway.Proxy.Transport;

/// <summary>
/// The client's socket as the direct transport's <see cref="PipeReader"/>. The socket receives straight into pooled
/// blocks that are the reader's buffer (no copy), and a waiting read is completed on the thread that completed the
/// receive, so the fast path runs there with no hand-off. Once the first bytes came, one receive is always pending
/// (while less than <see cref="MaxBuffered"/> waits unconsumed): that is how the client leaving is seen at once while
/// nobody reads, during a backend exchange as between requests (Kestrel's transport has its receive loop for it), and
/// the bytes it brings are simply the next read's. A receive that ends (0 bytes, a reset, the socket closed by an abort)
/// is the end of the input (a completed read, never an error) and calls <c>onInputEnded</c>. A read that waits is this
/// object's own <see cref="IValueTaskSource{TResult}"/>, so a read allocates nothing; state is kept under a per-connection
/// lock, uncontended but for the receive's completion racing a cancellation (as <see cref="Pipe"/> keeps its own).
/// With a <see cref="ReadinessReceiver"/> (Linux, the default) the pending receive is a wait on the readiness engine
/// that calls <c>recv</c> only once epoll reported bytes, and holds no block while it waits (everything consumed, the
/// blocks go back to the pool); without, it is the socket's own <c>ReceiveAsync</c>, which tries a <c>recv</c> first
/// and holds its block.
/// </summary>
internal sealed class DirectSocketReader : PipeReader, IValueTaskSource<ReadResult>
{
    /// <summary>The most received ahead of the reader before receiving pauses (a request head is far below it).</summary>
    private const int MaxBuffered = 64 * 1024;

    /// <summary>Below this much room left in the last block, the next receive goes into a fresh one.</summary>
    private const int MinReceive = 512;

    private readonly Socket _socket;
    private readonly ReadinessReceiver? _receiver;
    private readonly MemoryPool<byte> _pool;
    private readonly Action _onInputEnded;
    private readonly Action _onReceived;
    private readonly Lock _sync = new();

    private DirectReadSegment? _head;
    private int _headIndex;
    private DirectReadSegment? _tail;
    private DirectReadSegment? _spare;

    /// <summary>Absolute index (a segment's running index plus offset) up to which the reader examined the bytes.</summary>
    private long _examined;

    private bool _receiving;

    /// <summary>The pending receive is the readiness engine's zero-byte wait, which holds no block.</summary>
    private bool _waitingReadable;

    /// <summary>That wait ended: the next receive goes into a block.</summary>
    private bool _readable;
    private ValueTask<int> _receive;
    private bool _started;
    private bool _ended;
    private bool _completed;
    private bool _cancelNext;

    private bool _readerWaiting;
    private CancellationToken _waitingToken;
    private CancellationTokenRegistration _waitingCancellation;
    private ManualResetValueTaskSourceCore<ReadResult> _waiting;

    public DirectSocketReader(Socket socket, ReadinessReceiver? receiver, MemoryPool<byte> pool, Action onInputEnded)
    {
        _socket = socket;
        _receiver = receiver;
        _pool = pool;
        _onInputEnded = onInputEnded;
        _onReceived = OnReceived;
    }

    private long Written => _tail is null ? 0 : _tail.RunningIndex + _tail.End;

    private long Buffered => _head is null ? 0 : Written - (_head.RunningIndex + _headIndex);

    private ReadOnlySequence<byte> Unconsumed =>
        _head is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(_head, _headIndex, _tail!, _tail!.End);

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        lock (_sync)
        {
            ThrowIfCompleted();
            if (_readerWaiting)
            {
                throw new InvalidOperationException("a read is already waiting on the direct transport's reader");
            }

            if (TryResult(out var result))
            {
                return new ValueTask<ReadResult>(result);
            }

            if (!_receiving)
            {
                // The connection's first read, or receiving paused at MaxBuffered with everything examined: receive now.
                ReceiveLoop(evenIfFull: true);
                if (TryResult(out result))
                {
                    return new ValueTask<ReadResult>(result);
                }
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromCanceled<ReadResult>(cancellationToken);
            }

            _waiting.Reset();
            _readerWaiting = true;
            if (cancellationToken.CanBeCanceled)
            {
                // Under the lock, so a receive completing meanwhile unregisters this registration and no other.
                _waitingToken = cancellationToken;
                _waitingCancellation = cancellationToken.UnsafeRegister(static state => ((DirectSocketReader)state!).OnReadCanceled(), this);
            }

            return new ValueTask<ReadResult>(this, _waiting.Version);
        }
    }

    public override bool TryRead(out ReadResult result)
    {
        lock (_sync)
        {
            ThrowIfCompleted();
            return TryResult(out result);
        }
    }

    /// <summary>What a read returns at once: a cancellation asked for, bytes not yet examined, or the end.</summary>
    private bool TryResult(out ReadResult result)
    {
        if (_cancelNext)
        {
            _cancelNext = false;
            result = new ReadResult(Unconsumed, isCanceled: true, isCompleted: _ended);
            return true;
        }

        if (_ended || Written > _examined)
        {
            result = new ReadResult(Unconsumed, isCanceled: false, isCompleted: _ended);
            return true;
        }

        result = default;
        return false;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        lock (_sync)
        {
            if (consumed.GetObject() is DirectReadSegment consumedSegment)
            {
                while (_head is not null && _head != consumedSegment && _head != _tail)
                {
                    var next = (DirectReadSegment)_head.Next!;
                    Recycle(_head);
                    _head = next;
                }

                _headIndex = consumed.GetInteger();
            }

            if (examined.GetObject() is DirectReadSegment examinedSegment)
            {
                _examined = Math.Max(_examined, examinedSegment.RunningIndex + examined.GetInteger());
            }

            if (_receiver is not null && _head is not null && Buffered == 0 && (!_receiving || _waitingReadable))
            {
                // All consumed, and nothing receives into a block: give the blocks back while the connection waits.
                Drop();
            }

            if (!_receiving && _started)
            {
                ReceiveLoop(evenIfFull: false);
            }
        }
    }

    public override void CancelPendingRead()
    {
        ReadResult result;
        lock (_sync)
        {
            if (!_readerWaiting)
            {
                _cancelNext = true;
                return;
            }

            _readerWaiting = false;
            result = new ReadResult(Unconsumed, isCanceled: true, isCompleted: false);
        }

        _waitingCancellation.Unregister();
        _waiting.SetResult(result);
    }

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            throw new InvalidOperationException("the direct transport's reader was completed");
        }
    }

    private void OnReadCanceled()
    {
        lock (_sync)
        {
            if (!_readerWaiting)
            {
                return;
            }

            _readerWaiting = false;
        }

        // The pending receive stays: the next read takes what it brings.
        _waiting.SetException(new OperationCanceledException(_waitingToken));
    }

    public override void Complete(Exception? exception = null)
    {
        lock (_sync)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            if (!_receiving || _waitingReadable)
            {
                ReleaseAll();
            }
        }
    }

    /// <summary>Starts receives until one is pending (or the input ended, or <see cref="MaxBuffered"/> waits unconsumed unless <paramref name="evenIfFull"/>); under the lock.</summary>
    private void ReceiveLoop(bool evenIfFull)
    {
        _started = true;
        while (!_ended && !_completed && (evenIfFull || Buffered < MaxBuffered))
        {
            if (_receiver is not null && !_readable)
            {
                // Wait for bytes before receiving into a block, so an idle connection holds none: a zero-byte receive
                // completes at once unless the socket was drained, and then once epoll reports it readable.
                _receive = _receiver.ReceiveAsync(Memory<byte>.Empty);
                _receiving = true;
                _waitingReadable = true;
                if (!_receive.IsCompleted)
                {
                    _receive.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onReceived);
                    return;
                }

                Take();
                continue;
            }

            _readable = false;
            evenIfFull = false;
            if (_tail is null || _tail.Free.Length < MinReceive)
            {
                var segment = _spare ?? new DirectReadSegment();
                _spare = null;
                segment.Start(_pool.Rent(), Written);
                if (_tail is null)
                {
                    _head = segment;
                    _headIndex = 0;
                }
                else
                {
                    _tail.Append(segment);
                }

                _tail = segment;
            }

            if (_receiver is not null)
            {
                // Readable: receive now, and never wait holding a block. Finding nothing (the event was for bytes an
                // earlier receive took), wait again without one.
                var error = _receiver.ReceiveNow(_tail.Free.Span, out var received);
                if (error == SocketError.WouldBlock)
                {
                    if (Buffered == 0)
                    {
                        Drop();
                    }
                }
                else if (error == SocketError.Success && received > 0)
                {
                    _tail.Received(received);
                }
                else
                {
                    _ended = true;
                    _onInputEnded();
                }

                continue;
            }

            try
            {
                _receive = _socket.ReceiveAsync(_tail.Free, SocketFlags.None);
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                _receive = ValueTask.FromResult(0);
            }

            _receiving = true;
            if (!_receive.IsCompleted)
            {
                _receive.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onReceived);
                return;
            }

            Take();
        }
    }

    /// <summary>The pending receive's outcome into the buffer; under the lock.</summary>
    private void Take()
    {
        if (_waitingReadable)
        {
            _waitingReadable = false;
            _receiving = false;
            try
            {
                _receive.GetAwaiter().GetResult();
                _readable = true;
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                _ended = true;
                _onInputEnded();
            }

            _receive = default;
            return;
        }

        int read;
        try
        {
            read = _receive.GetAwaiter().GetResult();
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            read = 0;
        }

        _receive = default;
        _receiving = false;
        if (read > 0)
        {
            _tail!.Received(read);
        }
        else
        {
            _ended = true;

            // Queues the connection's ConnectionClosed callbacks, nothing inline.
            _onInputEnded();
        }
    }

    /// <summary>A receive that went pending ended (on the socket engine's thread): its bytes go to the waiting read, if any.</summary>
    private void OnReceived()
    {
        bool complete;
        ReadResult result = default;
        lock (_sync)
        {
            Take();
            if (_completed)
            {
                ReleaseAll();
                return;
            }

            // A waiting reader examined everything: receive past the bound, as its ReadAsync would have.
            ReceiveLoop(evenIfFull: _readerWaiting);
            complete = _readerWaiting && TryResult(out result);
            if (complete)
            {
                _readerWaiting = false;
            }
        }

        if (complete)
        {
            _waitingCancellation.Unregister();
            _waiting.SetResult(result);
        }
    }

    private void Recycle(DirectReadSegment segment)
    {
        segment.Release();
        _spare = segment;
    }

    /// <summary>Every block back to the pool with nothing unconsumed, positions from 0 again; under the lock, with no receive into a block pending.</summary>
    private void Drop()
    {
        var segment = _head;
        while (segment is not null)
        {
            var next = segment.Release();
            _spare = segment;
            segment = next;
        }

        (_head, _tail, _headIndex, _examined) = (null, null, 0, 0);
    }

    /// <summary>Every block back to the pool; under the lock, with no receive pending.</summary>
    private void ReleaseAll()
    {
        var segment = _head;
        while (segment is not null)
        {
            segment = segment.Release();
        }

        _head = null;
        _tail = null;
        _spare = null;
    }

    ReadResult IValueTaskSource<ReadResult>.GetResult(short token) => _waiting.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<ReadResult>.GetStatus(short token) => _waiting.GetStatus(token);

    void IValueTaskSource<ReadResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _waiting.OnCompleted(continuation, state, token, flags);
}
