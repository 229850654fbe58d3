using System.Net;
using System.Net.Sockets;

namespace Slipway.Server.Listeners;

/// <summary>
/// One listening socket of the daemon: what it is for (<see cref="Key"/>: an edge URL, <c>internal:PORT</c> or
/// <c>api</c>), where it is bound, and the socket, bound and listening since the daemon started or handed over by
/// the daemon before it. Connections that arrive before anyone accepts wait in its backlog.
/// </summary>
internal sealed record BoundListener(string Key, IPEndPoint EndPoint, Socket Socket)
{
    public const string ApiKey = "api";

    public static string InternalKey(int port) => "internal:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public int Fd => (int)Socket.Handle;
}
