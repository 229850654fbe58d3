using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Slipway.Server.Listeners;

/// <summary>
/// A planned restart or upgrade of the daemon that drops no request: the new daemon (<c>slipway up --takeover</c>)
/// asks the running one, over <c>&lt;state-dir&gt;/handoff.sock</c>, for its listening sockets. The running daemon stops
/// supervising (leaving every instance running and recorded), releases the state directory, and sends the sockets
/// themselves (their fds, SCM_RIGHTS) — meanwhile its proxy keeps answering from the last routing table. The new
/// daemon adopts the instances, starts accepting on the same sockets, and says "serving"; only then does the old
/// one stop accepting and let its connections finish. No socket is ever closed, so nothing queued in a backlog is
/// lost, which is what SO_REUSEPORT hand-overs lose; systemd socket activation would need systemd to restart it.
/// </summary>
internal static class Handover
{
    public const string FileName = "handoff.sock";

    private const string TakeoverLine = "takeover\n";
    private const string Serving = "serving\n";

    /// <summary>The running daemon's side: a socket that takes one successor's request at a time.</summary>
    public static Socket Listen(string stateDirectory)
    {
        var path = Path.Combine(stateDirectory, FileName);
        File.Delete(path); // left by a daemon that was killed; the state directory's lock says we are the one now
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        socket.Listen(1);
        return socket;
    }

    /// <summary>Waits for a successor that asks to take over; its connection, for <see cref="SendAsync"/>.</summary>
    public static async Task<Socket> AcceptRequestAsync(Socket listener, CancellationToken cancellationToken)
    {
        while (true)
        {
            var connection = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            var buffer = new byte[TakeoverLine.Length];
            var read = 0;
            try
            {
                while (read < buffer.Length && await connection.ReceiveAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false) is > 0 and var n)
                {
                    read += n;
                }
            }
            catch (SocketException)
            {
                read = 0;
            }

            if (read == buffer.Length && Encoding.ASCII.GetString(buffer) == TakeoverLine)
            {
                return connection;
            }

            connection.Dispose();
        }
    }

    /// <summary>Sends every listener to the successor, then waits (at most <paramref name="limit"/>) until it serves.</summary>
    /// <returns>True once the successor said it serves; false when it went away or the limit passed.</returns>
    public static async Task<bool> SendAsync(Socket successor, DaemonListeners listeners, TimeSpan limit)
    {
        var all = listeners.All.ToList();
        var keys = JsonSerializer.Serialize(new Dictionary<string, object> { ["pid"] = Environment.ProcessId, ["keys"] = all.Select(l => l.Key).ToList() });
        FdPassing.Send(successor, keys + "\n", [.. all.Select(l => l.Fd)]);
        using var timeout = new CancellationTokenSource(limit);
        var buffer = new byte[Serving.Length];
        var read = 0;
        try
        {
            while (read < buffer.Length && await successor.ReceiveAsync(buffer.AsMemory(read), timeout.Token).ConfigureAwait(false) is > 0 and var n)
            {
                read += n;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            return false;
        }

        return read == buffer.Length && Encoding.ASCII.GetString(buffer) == Serving;
    }

    /// <summary>
    /// The successor's side: asks the daemon running on <paramref name="stateDirectory"/> to hand over, and waits for its
    /// listeners (it first lets go of the state directory). Null when no daemon answers there.
    /// </summary>
    public static Predecessor? Request(string stateDirectory)
    {
        var path = Path.Combine(stateDirectory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        var connection = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            connection.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException)
        {
            connection.Dispose();
            return null; // a socket file a killed daemon left
        }

        connection.Send(Encoding.ASCII.GetBytes(TakeoverLine));
        var (text, fds) = FdPassing.Receive(connection);
        using var message = JsonDocument.Parse(text);
        var keys = message.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetString()!).ToList();
        if (keys.Count != fds.Count)
        {
            throw new IOException($"the running daemon sent {fds.Count} sockets for {keys.Count} listeners");
        }

        var listeners = new Dictionary<string, BoundListener>(StringComparer.Ordinal);
        for (var i = 0; i < keys.Count; i++)
        {
            var socket = new Socket(new SafeSocketHandle(fds[i], ownsHandle: true));
            listeners[keys[i]] = new BoundListener(keys[i], (IPEndPoint)socket.LocalEndPoint!, socket);
        }

        return new Predecessor(connection, message.RootElement.GetProperty("pid").GetInt32(), listeners);
    }

    /// <summary>The successor accepts on the listeners now: the old daemon may stop accepting and finish its connections.</summary>
    public static void SayServing(Socket connection)
    {
        connection.Send(Encoding.ASCII.GetBytes(Serving));
        connection.Dispose();
    }
}
