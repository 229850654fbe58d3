using System.Net;
using System.Net.Sockets;

namespace Slipway.Proxy.Transport;

/// <summary>
/// Receives that call <c>recv</c> only when epoll said the socket is readable (<see cref="ReadinessReceiver"/>), for
/// the fast path's sockets on Linux: .NET's socket engine tries every receive first and waits on epoll only after
/// <c>EAGAIN</c>, so each of a request's two waiting receives (the client's next request, the backend's answer) cost a
/// <c>recv</c> that found nothing. One thread per processor, sockets spread round-robin, continuations inline on them,
/// as .NET's engine runs with <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>. Process-wide (<see cref="Shared"/>)
/// like .NET's: its threads start with the first socket and live as long as the process. Sends are a <c>send</c> of
/// our own too (<see cref="ReadinessSender"/>), which waits on this engine only when the socket's buffer is full.
/// </summary>
internal sealed class ReadinessEngine
{
    private static ReadinessEngine? _shared;

    private readonly ReadinessThread[] _threads;
    private uint _next;

    /// <summary>The turn of <see cref="NextLane"/>, apart from <see cref="_next"/>: sharing it, connects made between accepts could put every client on one thread.</summary>
    private uint _nextLane;

    /// <summary>An engine of its own (tests); the proxy uses <see cref="Shared"/>.</summary>
    internal ReadinessEngine(int threads)
    {
        _threads = new ReadinessThread[threads];
        for (var i = 0; i < threads; i++)
        {
            _threads[i] = new ReadinessThread("Slipway readiness " + i.ToString(System.Globalization.CultureInfo.InvariantCulture), i);
        }
    }

    /// <summary>Linux only; elsewhere the fast path receives through <see cref="Socket.ReceiveAsync(Memory{byte}, SocketFlags, CancellationToken)"/>.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    public static ReadinessEngine Shared =>
        Volatile.Read(ref _shared) ?? LazyInitializer.EnsureInitialized(ref _shared, static () => new ReadinessEngine(Environment.ProcessorCount));

    internal IReadOnlyList<ReadinessThread> Threads => _threads;

    /// <summary>Registers <paramref name="socket"/> (connected, not yet read by anyone) on the next thread in turn.</summary>
    public ReadinessReceiver Register(Socket socket) => Next().Register(socket);

    /// <summary>
    /// A new connection to <paramref name="address"/> that receives through this engine. Connected here rather than by
    /// <see cref="Socket.ConnectAsync(EndPoint, CancellationToken)"/>, which would register the socket with .NET's own
    /// engine too, and that one would then be woken for every answer as well.
    /// </summary>
    public async ValueTask<(Socket Socket, ReadinessReceiver Receiver)> ConnectAsync(IPEndPoint address, int lane, CancellationToken cancellationToken)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, Blocking = false };
        ReadinessReceiver? receiver = null;
        try
        {
            receiver = _threads[lane].Prepare(socket);
            await receiver.ConnectAsync(address, cancellationToken).ConfigureAwait(false);
            return (socket, receiver);
        }
        catch
        {
            receiver?.Close();
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// <paramref name="receiver"/>'s socket moved to the thread of <paramref name="lane"/>: unregistered from its own
    /// (<see cref="ReadinessReceiver.Close"/>) and registered there afresh. Only while nothing receives on it. The new
    /// receiver counts nothing as drained yet, so its first receive calls <c>recv</c> (epoll also reports bytes already
    /// waiting when the socket is added).
    /// </summary>
    public ReadinessReceiver Move(ReadinessReceiver receiver, Socket socket, int lane)
    {
        receiver.Close();
        return _threads[lane].Register(socket);
    }

    /// <summary>How many threads (lanes) the engine runs.</summary>
    public int Lanes => _threads.Length;

    /// <summary>
    /// The lane of the caller: the index of this engine's thread it runs on (so that the backend connection a request
    /// takes is one whose events come to the same thread as its client's), or -1 on any other thread.
    /// </summary>
    public int CurrentLane =>
        ReadinessThread.Current is { } current && current.Index < _threads.Length && ReferenceEquals(_threads[current.Index], current) ? current.Index : -1;

    /// <summary>A lane in turn, for a connection made off the engine's threads (the sockets are spread as <see cref="Register"/> spreads them).</summary>
    public int NextLane() => (int)(Interlocked.Increment(ref _nextLane) % (uint)_threads.Length);

    private ReadinessThread Next() => _threads[Interlocked.Increment(ref _next) % (uint)_threads.Length];
}
