using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace Slipway.Proxy.Transport;

/// <summary>
/// One socket's receives through the <see cref="ReadinessEngine"/>: a receive calls <c>recv</c> only when epoll
/// reported the socket readable since the last receive found it drained (<c>EAGAIN</c>, or fewer bytes than asked for,
/// as nginx reads; never once epoll reported the peer's end or an error), and otherwise waits for the next event without a system call. The engine's thread counts events
/// (<see cref="OnEvent"/>) and, when a receive waits, receives for it and completes it inline, as .NET's socket
/// engine does with inline completions. A receive captures the event count before its <c>recv</c>, so an event that
/// comes during the call is never lost: it only costs one <c>recv</c> more. The wait is this object's own
/// <see cref="IValueTaskSource{TResult}"/> (nothing allocated per wait); one receive at a time. The socket's sends go
/// through its <see cref="Sender"/>, which the same events wake (epoll reports input and room for output in one
/// registration). <see cref="Close"/> must come before the socket is disposed (epoll forgets a closed descriptor
/// silently): it unregisters the socket and ends a waiting receive and send with
/// <see cref="SocketError.OperationAborted"/>, as disposing a socket ends .NET's.
/// </summary>
internal sealed class ReadinessReceiver : IValueTaskSource<int>
{
    private const int Idle = 0;
    private const int Waiting = 1;
    private const int Closed = 2;

    /// <summary>What epoll reports when bytes or the end can be read (the rest of an event is room for output).</summary>
    private const uint Input = LinuxEpoll.Readable | LinuxEpoll.ReadHangUp | LinuxEpoll.HangUp | LinuxEpoll.Error;

    /// <summary>What wakes a waiting send: room, or the end (a send then fails at once rather than waiting on).</summary>
    private const uint Output = LinuxEpoll.Writable | LinuxEpoll.HangUp | LinuxEpoll.Error;

    private readonly ReadinessThread _thread;
    private readonly SafeSocketHandle _handle;
    private readonly int _fd;

    /// <summary>Events the engine reported; written by its thread only.</summary>
    private int _events;

    /// <summary>The event count at the last receive that drained the socket; a receive tries <c>recv</c> only when <see cref="_events"/> moved past it.</summary>
    private int _drainedAt = -1;

    private int _state;
    private bool _ended;
    private TaskCompletionSource? _connecting;
    private Memory<byte> _buffer;
    private ManualResetValueTaskSourceCore<int> _source;

    public ReadinessReceiver(ReadinessThread thread, Socket socket)
    {
        _thread = thread;
        _handle = socket.SafeHandle;
        _fd = (int)_handle.DangerousGetHandle();
        Sender = new ReadinessSender(_handle, _fd);
    }

    /// <summary>The socket's sends, woken by this registration's events.</summary>
    public ReadinessSender Sender { get; }

    /// <summary>The slot and generation of this registration on its thread, so a stale event for a reused slot is dropped.</summary>
    public int Slot { get; private set; }

    public uint Generation { get; private set; }

    public int Descriptor => _fd;

    /// <summary>Events the engine reported for this socket so far (tests).</summary>
    internal int Events => Volatile.Read(ref _events);

    /// <summary><c>recv</c> calls made so far (tests: a drained socket waits without one).</summary>
    internal long ReceiveCalls { get; private set; }

    internal void Bind(int slot, uint generation) => (Slot, Generation) = (slot, generation);

    /// <summary>
    /// Bytes into <paramref name="buffer"/>: the count, 0 when the peer ended its side, a <see cref="SocketException"/>
    /// on a reset or after <see cref="Close"/>. An empty <paramref name="buffer"/> only waits until the socket may be
    /// read (no <c>recv</c>), and completes with 0, as a zero-byte receive on a <see cref="Socket"/> does.
    /// </summary>
    public ValueTask<int> ReceiveAsync(Memory<byte> buffer) => ReceiveAsync(buffer, evenIfDrained: false);

    /// <summary>
    /// A receive that calls <c>recv</c> once even if the socket counts as drained, as .NET's receive does: for a pooled
    /// backend connection taken after idling, whose stray bytes (a 408 before a close) may have arrived with their
    /// event not yet handled by the engine's thread; they must not be read as the next request's answer.
    /// </summary>
    public ValueTask<int> ProbeAsync(Memory<byte> buffer) => ReceiveAsync(buffer, evenIfDrained: true);

    private ValueTask<int> ReceiveAsync(Memory<byte> buffer, bool evenIfDrained)
    {
        while (true)
        {
            var events = Volatile.Read(ref _events);
            if (events != _drainedAt && buffer.IsEmpty)
            {
                return new ValueTask<int>(0);
            }

            if (evenIfDrained || events != _drainedAt)
            {
                evenIfDrained = false;
                var error = TryReceive(buffer.Span, events, out var read);
                if (error == SocketError.Success)
                {
                    return new ValueTask<int>(read);
                }

                if (error != SocketError.WouldBlock)
                {
                    return ValueTask.FromException<int>(new SocketException((int)error));
                }
            }

            _buffer = buffer;
            _source.Reset();
            if (Interlocked.CompareExchange(ref _state, Waiting, Idle) != Idle)
            {
                _buffer = default;
                return ValueTask.FromException<int>(new SocketException((int)SocketError.OperationAborted));
            }

            // An event between the check above and the wait's start would find no waiter: look again, and take the
            // wait back to receive now unless the engine's thread already took it.
            if (Volatile.Read(ref _events) == _drainedAt || Interlocked.CompareExchange(ref _state, Idle, Waiting) != Waiting)
            {
                return new ValueTask<int>(this, _source.Version);
            }

            _buffer = default;
        }
    }

    /// <summary>
    /// Connects the socket, not yet in epoll (<see cref="ReadinessThread.Prepare"/>), and adds it once <c>connect</c>
    /// started, so epoll never reports the unconnected socket (a fresh socket polls as hung up and writable: taken for
    /// the end, that event made every later receive call <c>recv</c>; taken for the connect's end, it came before it).
    /// The connect ends with the first event (writable when connected, an error when refused).
    /// </summary>
    public async ValueTask ConnectAsync(IPEndPoint address, CancellationToken cancellationToken)
    {
        var connecting = new TaskCompletionSource();

        // Set before the socket is added: the event may come before Add returns.
        Volatile.Write(ref _connecting, connecting);
        var errno = StartConnect(address.Serialize());
        if (errno is 0 or LinuxEpoll.InProgress)
        {
            _thread.Add(this);
        }

        if (errno == LinuxEpoll.InProgress)
        {
            await connecting.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            errno = LinuxEpoll.PendingError(_fd);
        }

        Volatile.Write(ref _connecting, null);
        if (errno != 0)
        {
            throw new SocketException((int)LinuxEpoll.ToSocketError(errno));
        }
    }

    private unsafe int StartConnect(SocketAddress address)
    {
        fixed (byte* bytes = address.Buffer.Span)
        {
            return LinuxEpoll.Connect(_fd, bytes, address.Size) == 0 ? 0 : System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        }
    }

    /// <summary>
    /// One <c>recv</c> now, whatever the events say, never a wait: <see cref="SocketError.WouldBlock"/> when there was
    /// nothing (the socket then counts as drained). Not while a receive waits.
    /// </summary>
    public SocketError ReceiveNow(Span<byte> buffer, out int read) => TryReceive(buffer, Volatile.Read(ref _events), out read);

    /// <summary>
    /// The engine's thread: an event of the socket (<paramref name="flags"/>: readable, writable, hung up, failed). Room
    /// for output wakes a waiting send; input (or the end) counts for the receives. Nearly every event says writable
    /// (a socket with room is), which costs a waiting sender's check only.
    /// </summary>
    internal void OnEvent(uint flags)
    {
        if (Volatile.Read(ref _connecting) is { } connecting)
        {
            // No receive or send waits before the connect ends; the continuation (the request that connected) runs inline.
            Interlocked.Increment(ref _events);
            connecting.TrySetResult();
            return;
        }

        if ((flags & Output) != 0)
        {
            Sender.OnWritable();
        }

        if ((flags & Input) != 0)
        {
            OnReadable(flags);
        }
    }

    private void OnReadable(uint flags)
    {

        if ((flags & (LinuxEpoll.ReadHangUp | LinuxEpoll.HangUp | LinuxEpoll.Error)) != 0)
        {
            // The end (or an error) does not leave with a read that took the last bytes before it, and epoll may have
            // reported it in the same event as those bytes: from now on every receive calls recv (nginx's pending_eof).
            Volatile.Write(ref _ended, true);
        }

        var events = Interlocked.Increment(ref _events);
        if (Volatile.Read(ref _state) != Waiting || Interlocked.CompareExchange(ref _state, Idle, Waiting) != Waiting)
        {
            return;
        }

        if (_buffer.IsEmpty)
        {
            _source.SetResult(0);
            return;
        }

        var error = TryReceive(_buffer.Span, events, out var read);
        if (error == SocketError.WouldBlock)
        {
            // An event with nothing to read (it came for bytes an earlier recv already took): wait on. Only this
            // thread counts events, so none came meanwhile; a Close meanwhile fails the wait.
            if (Interlocked.CompareExchange(ref _state, Waiting, Idle) == Idle)
            {
                return;
            }

            error = SocketError.OperationAborted;
        }

        _buffer = default;
        if (error == SocketError.Success)
        {
            _source.SetResult(read);
        }
        else
        {
            _source.SetException(new SocketException((int)error));
        }
    }

    /// <summary>Unregisters the socket (before it is disposed) and ends a waiting receive. Idempotent.</summary>
    public void Close()
    {
        var previous = Interlocked.Exchange(ref _state, Closed);
        if (previous == Closed)
        {
            return;
        }

        _thread.Unregister(this, _handle);
        Sender.Close();
        if (previous == Waiting)
        {
            _buffer = default;

            // Not inline: the closer may be inside the code that awaits this receive.
            ThreadPool.UnsafeQueueUserWorkItem(
                static receiver => receiver._source.SetException(new SocketException((int)SocketError.OperationAborted)), this, preferLocal: false);
        }
    }

    /// <summary>One non-blocking <c>recv</c>; marks the socket drained (at <paramref name="events"/>) on <c>EAGAIN</c> or a short read.</summary>
    private unsafe SocketError TryReceive(Span<byte> buffer, int events, out int read)
    {
        read = 0;
        var added = false;
        try
        {
            // Held through the call, so the descriptor cannot be closed and reused by another socket meanwhile.
            _handle.DangerousAddRef(ref added);
            while (true)
            {
                ReceiveCalls++;
                nint received;
                fixed (byte* bytes = buffer)
                {
                    received = LinuxEpoll.Receive(_fd, bytes, (nuint)buffer.Length, LinuxEpoll.DontWait);
                }

                if (received >= 0)
                {
                    read = (int)received;
                    if (read > 0 && read < buffer.Length && !Volatile.Read(ref _ended))
                    {
                        _drainedAt = events;
                    }

                    return SocketError.Success;
                }

                var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (errno == LinuxEpoll.Interrupted)
                {
                    continue;
                }

                if (errno == LinuxEpoll.WouldBlock)
                {
                    // Even after a hang-up: EAGAIN means the end is not there yet (a shutdown of our own sending side).
                    _drainedAt = events;
                    return SocketError.WouldBlock;
                }

                return LinuxEpoll.ToSocketError(errno);
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
