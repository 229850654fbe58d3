using System.Net;
using System.Net.Sockets;

namespace Slipway.DemoApp.Tests;

/// <summary>Asks the OS for a loopback port nobody is using right now.</summary>
internal static class FreePort
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
