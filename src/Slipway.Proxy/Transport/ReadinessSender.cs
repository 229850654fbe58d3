using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;

namespace Slipway.Proxy.Transport;

/// <summary>
/// One socket's sends on the <see cref="ReadinessEngine"/>: a non-blocking <c>send</c> of our own
/// (<c>MSG_DONTWAIT | MSG_NOSIGNAL</c>) from the thread that sends, which in the usual case takes everything at once;
/// only when the socket's buffer is full (<c>EAGAIN</c>) does it wait, for epoll's edge-triggered <c>EPOLLOUT</c>
/// (registered with the socket once, as nginx registers its connections, so no <c>epoll_ctl</c> per wait), and then
/// sends the rest. .NET's <see cref="Socket.SendAsync(ReadOnlyMemory{byte}, SocketFlags, CancellationToken)"/> does the
/// same system call but through its socket engine's operation queue, its lock and an event-args object per call, and
/// on <c>EAGAIN</c> it registers the socket with its own epoll, which then wakes for every later event of the socket
/// too. The engine's thread counts writable events (<see cref="OnWritable"/>); a send captures the count before its
/// <c>send</c>, so room that came during the call is never missed (at worst one <c>send</c> more). A send completes
/// when all of it went, with its length, as <see cref="Socket"/>'s stream sends do; one send at a time. A closed or
/// reset socket fails the send with a <see cref="SocketException"/> (the reset's, <see cref="SocketError.Shutdown"/>
/// after a shutdown of ours, <see cref="SocketError.OperationAborted"/> once closed), never an
/// <see cref="ObjectDisposedException"/>.
/// </summary>
internal sealed class ReadinessSender : IValueTaskSource<int>
{
    private const int Idle = 0;
    private const int Waiting = 1;
    private const int Closed = 2;

    private readonly SafeSocketHandle _handle;
    private readonly int _fd;

    /// <summary>Writable events the engine reported (or the end, or an error); written by its thread only.</summary>
    private int _events;

    private int _state;
    private ManualResetValueTaskSourceCore<int> _source;

    public ReadinessSender(SafeSocketHandle handle, int fd)
    {
        _handle = handle;
        _fd = fd;
    }

    /// <summary>Writable events reported so far (tests).</summary>
    internal int Events => Volatile.Read(ref _events);

    /// <summary><c>send</c> calls made so far (tests: a full socket waits without calling again).</summary>
    internal long SendCalls { get; private set; }

    /// <summary>Sends that found the socket's buffer full and waited for room (tests).</summary>
    internal long Waits { get; private set; }

    /// <summary>All of <paramref name="buffer"/>; completes with its length once the kernel took the last byte.</summary>
    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> buffer)
    {
        var events = Volatile.Read(ref _events);
        var error = TrySend(buffer.Span, out var sent);
        if (error == SocketError.Success && sent == buffer.Length)
        {
            return new ValueTask<int>(sent);
        }

        if (error is not (SocketError.Success or SocketError.WouldBlock))
        {
            return ValueTask.FromException<int>(new SocketException((int)error));
        }

        return SendRestAsync(buffer, sent, events, blocked: error == SocketError.WouldBlock);
    }

    /// <summary>
    /// The rest after a short count or <c>EAGAIN</c>: a short count sends again at once (the next call either takes
    /// more or finds the buffer full, as .NET's send loops), <c>EAGAIN</c> waits for the next writable event counted
    /// after <paramref name="events"/>.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> SendRestAsync(ReadOnlyMemory<byte> buffer, int sent, int events, bool blocked)
    {
        while (true)
        {
            if (blocked)
            {
                Waits++;
                await WaitWritableAsync(events).ConfigureAwait(false);
            }

            events = Volatile.Read(ref _events);
            var error = TrySend(buffer.Span[sent..], out var more);
            if (error == SocketError.Success)
            {
                sent += more;
                if (sent == buffer.Length)
                {
                    return sent;
                }

                blocked = false;
            }
            else if (error == SocketError.WouldBlock)
            {
                blocked = true;
            }
            else
            {
                throw new SocketException((int)error);
            }
        }
    }

    /// <summary>Completes once a writable event was counted after <paramref name="events"/>.</summary>
    private ValueTask<int> WaitWritableAsync(int events)
    {
        _source.Reset();
        if (Interlocked.CompareExchange(ref _state, Waiting, Idle) != Idle)
        {
            return ValueTask.FromException<int>(new SocketException((int)SocketError.OperationAborted));
        }

        // An event between the send and the wait's start found no waiter: take the wait back, unless the engine's
        // thread already did and completes it.
        if (Volatile.Read(ref _events) != events && Interlocked.CompareExchange(ref _state, Idle, Waiting) == Waiting)
        {
            return new ValueTask<int>(0);
        }

        return new ValueTask<int>(this, _source.Version);
    }

    /// <summary>The engine's thread: the socket has room again (or ended, or failed). A waiting send goes on inline.</summary>
    internal void OnWritable()
    {
        Interlocked.Increment(ref _events);
        if (Volatile.Read(ref _state) == Waiting && Interlocked.CompareExchange(ref _state, Idle, Waiting) == Waiting)
        {
            _source.SetResult(0);
        }
    }

    /// <summary>Ends a waiting send with <see cref="SocketError.OperationAborted"/>, and every later one that would wait. Idempotent.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _state, Closed) == Waiting)
        {
            // Not inline: the closer may be inside the code that awaits this send.
            ThreadPool.UnsafeQueueUserWorkItem(
                static sender => sender._source.SetException(new SocketException((int)SocketError.OperationAborted)), this, preferLocal: false);
        }
    }

    /// <summary>One non-blocking <c>send</c>; <see cref="SocketError.WouldBlock"/> when the socket's buffer is full.</summary>
    private unsafe SocketError TrySend(ReadOnlySpan<byte> buffer, out int sent)
    {
        sent = 0;
        var added = false;
        try
        {
            // Held through the call, so the descriptor cannot be closed and reused by another socket meanwhile.
            _handle.DangerousAddRef(ref added);
            while (true)
            {
                SendCalls++;
                nint count;
                fixed (byte* bytes = buffer)
                {
                    count = LinuxEpoll.Send(_fd, bytes, (nuint)buffer.Length, LinuxEpoll.DontWait | LinuxEpoll.NoSignal);
                }

                if (count >= 0)
                {
                    sent = (int)count;
                    return SocketError.Success;
                }

                var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (errno == LinuxEpoll.Interrupted)
                {
                    continue;
                }

                return errno == LinuxEpoll.WouldBlock ? SocketError.WouldBlock : LinuxEpoll.ToSocketError(errno);
            }
        }
        catch (ObjectDisposedException)
        {
            return SocketError.OperationAborted;
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    int IValueTaskSource<int>.GetResult(short token) => _source.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _source.GetStatus(token);

    void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _source.OnCompleted(continuation, state, token, flags);
}
