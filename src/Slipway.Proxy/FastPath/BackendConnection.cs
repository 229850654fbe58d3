using System.Buffers;
using System.Net.Sockets;
using Slipway.Proxy.Transport;

namespace Slipway.Proxy.FastPath;

/// <summary>
/// One keep-alive HTTP/1.1 connection to a backend, owned by the fast path: a socket and the bytes read from it
/// but not yet used. Lent to one request at a time by its <see cref="BackendPool"/>.
/// </summary>
internal sealed class BackendConnection : IDisposable
{
    /// <summary>A response head larger than this is refused (502), as SocketsHttpHandler's default limit does.</summary>
    public const int MaxHeadLength = 64 * 1024;

    /// <summary>From this long idle, the first read of the next request probes (<see cref="FirstReceiveAsync"/>).</summary>
    public static readonly TimeSpan ProbeAfterIdle = TimeSpan.FromSeconds(1);

    private const int InitialBuffer = 16 * 1024;

    private ReadinessReceiver? _receiver;

    /// <summary>The <c>recv</c> calls of the receivers it had on other lanes (<see cref="ReceiveCalls"/>).</summary>
    private long _receiveCallsMoved;

    /// <summary>Receives and sends through <paramref name="receiver"/> when given (Linux), else through the socket.</summary>
    public BackendConnection(Socket socket, ReadinessReceiver? receiver = null, int lane = 0)
    {
        Socket = socket;
        Lane = lane;
        Buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
        _receiver = receiver;
    }

    public Socket Socket { get; }

    /// <summary>Whether its receives wait on the readiness engine rather than on .NET's socket engine.</summary>
    public bool ReceivesOnReadiness => _receiver is not null;

    public byte[] Buffer { get; private set; }

    /// <summary>Where the unread bytes start in <see cref="Buffer"/>.</summary>
    public int Start { get; set; }

    /// <summary>Where the unread bytes end.</summary>
    public int End { get; set; }

    /// <summary>The connection served a request before (so a failure before any response byte may be its idle close).</summary>
    public bool Reused { get; set; }

    public ReadOnlySpan<byte> Unread => Buffer.AsSpan(Start, End - Start);

    /// <summary>
    /// Reads more bytes after the unread ones, into <see cref="Room"/>; the caller adds what it got with <see cref="Received"/> (0 at the end). Not an async method of its own: the
    /// socket's operation completes the caller's await directly, with no state machine in between to pool.
    /// </summary>
    public ValueTask<int> ReceiveAsync() => ReceiveAsync(Room());

    /// <summary>
    /// The response's first read, started before the request is sent. On a connection that idled in the pool for
    /// <see cref="ProbeAfterIdle"/> or more it calls <c>recv</c> at once even on the readiness engine
    /// (<see cref="ReadinessReceiver.ProbeAsync"/>), as .NET's receive does: bytes the backend wrote while it idled (a
    /// 408 before its close) are found now even if the engine's thread has not handled their event yet, and are not
    /// read as this request's answer. A backend writes on an idle connection when its own keep-alive timer fires, which
    /// is seconds (nginx 75 s, Node 5 s, Kestrel 130 s), so a connection lent again within a second (every one, under
    /// load) is not probed: that saves the <c>recv</c> that finds nothing.
    /// </summary>
    public ValueTask<int> FirstReceiveAsync() =>
        _receiver is null ? Socket.ReceiveAsync(Room(), SocketFlags.None)
        : Reused && IdledFor >= ProbeAfterIdle ? _receiver.ProbeAsync(Room())
        : _receiver.ReceiveAsync(Room());

    /// <summary>The lane of its <see cref="BackendPool"/> it goes back to: the readiness engine's thread its events come to (0 without the engine).</summary>
    public int Lane { get; private set; }

    /// <summary>
    /// Moves the connection to <paramref name="lane"/> (its socket's events to that engine thread), for a lane that
    /// had none idle: only while idle, nothing receiving. False when the engine could not take the socket again (it is
    /// unregistered then: the caller disposes the connection).
    /// </summary>
    public bool TryMoveTo(ReadinessEngine engine, int lane)
    {
        try
        {
            var moved = _receiver!.ReceiveCalls;
            _receiver = engine.Move(_receiver, Socket, lane);
            _receiveCallsMoved += moved;
            Lane = lane;
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary><c>recv</c> calls on the readiness engine so far (tests: a drained socket waits without one).</summary>
    internal long ReceiveCalls => _receiveCallsMoved + (_receiver?.ReceiveCalls ?? 0);

    /// <summary>How long it waited in the pool before it was last taken.</summary>
    public TimeSpan IdledFor { get; set; }

    /// <summary>One receive into <paramref name="into"/>: 0 when the backend closed.</summary>
    public ValueTask<int> ReceiveAsync(Memory<byte> into) =>
        _receiver is null ? Socket.ReceiveAsync(into, SocketFlags.None) : _receiver.ReceiveAsync(into);

    /// <summary>
    /// All of <paramref name="bytes"/> to the backend: on the readiness engine (Linux) a <c>send</c> of our own
    /// (<see cref="ReadinessSender"/>), else the socket's. A send that fails throws a <see cref="SocketException"/>.
    /// </summary>
    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> bytes) =>
        _receiver is null ? Socket.SendAsync(bytes, SocketFlags.None) : _receiver.Sender.SendAsync(bytes);

    /// <summary>Closes the socket, which ends a pending receive; the buffer stays until <see cref="Dispose"/>.</summary>
    public void Abort()
    {
        _receiver?.Close();
        Socket.Dispose();
    }

    /// <summary>The free space after the unread bytes, made by moving them to the front or growing the buffer when full.</summary>
    public Memory<byte> Room()
    {
        if (End == Buffer.Length)
        {
            if (Start > 0)
            {
                Buffer.AsSpan(Start, End - Start).CopyTo(Buffer);
                (Start, End) = (0, End - Start);
            }
            else
            {
                var larger = ArrayPool<byte>.Shared.Rent(Buffer.Length * 2);
                Buffer.AsSpan(0, End).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(Buffer);
                Buffer = larger;
            }
        }

        return Buffer.AsMemory(End);
    }

    /// <summary>Counts <paramref name="count"/> bytes a <see cref="ReceiveAsync()"/> put after the unread ones.</summary>
    public void Received(int count) => End += count;

    /// <summary>Forgets the bytes read so far (all used).</summary>
    public void Consume(int count)
    {
        Start += count;
        if (Start == End)
        {
            (Start, End) = (0, 0);
        }
    }

    public void Dispose()
    {
        Abort();
        var buffer = Buffer;
        Buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
