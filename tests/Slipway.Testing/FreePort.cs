using System.Net;
using System.Net.Sockets;

namespace Slipway.Testing;

/// <summary>A TCP port on 127.0.0.1 that was free a moment ago, for servers that cannot be told to bind port 0.</summary>
/// <remarks>
/// Ports come from <see cref="First"/>-<see cref="Last"/>, below Linux's ephemeral range (32768-60999), so nothing that
/// binds port 0 meanwhile (a proxy, a backend, a client's outgoing connection) can be given the same one between this
/// call and its use: taken from that range, a PostgreSQL port of an example test was once answered by another test's
/// HTTP listener. Within a process each port is handed out once per pass (a counter from a random start, so concurrent
/// test processes rarely meet); one bound by someone else right now is skipped. Another process may still take the port
/// before its use; prefer binding port 0 where the code under test allows it.
/// </remarks>
public static class FreePort
{
    private const int First = 23000;
    private const int Last = 32767;

    private static int _next = Random.Shared.Next(First, Last + 1);

    public static int Next()
    {
        for (var tries = 0; tries <= Last - First; tries++)
        {
            var port = First + (int)((uint)(Interlocked.Increment(ref _next) - First) % (Last - First + 1));
            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"no free TCP port on 127.0.0.1 between {First} and {Last}");
    }

    private static bool IsFree(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        finally
        {
            listener.Stop();
        }
    }
}
