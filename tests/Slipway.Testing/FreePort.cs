using System.Net;
using System.Net.Sockets;

namespace Slipway.Testing;

/// <summary>A TCP port on 127.0.0.1 that was free a moment ago, for servers that cannot be told to bind port 0.</summary>
/// <remarks>Another process may take the port between this call and its use; prefer binding port 0 where the code under test allows it.</remarks>
public static class FreePort
{
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
