using System.Net;
using System.Net.Sockets;

namespace Slipway.Proxy.Tests.Support;

/// <summary>A TCP connection on loopback, both ends in hand, for tests of what reads a socket directly.</summary>
internal static class LoopbackSockets
{
    /// <summary>The listener (to dispose last), the connecting side and the accepted one.</summary>
    public static async Task<(Socket Listener, Socket Client, Socket Server)> ConnectAsync()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!);
        return (listener, client, await listener.AcceptAsync());
    }
}
