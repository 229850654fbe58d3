using System.Net;
using System.Net.Sockets;

namespace Slipway.DemoApp;

/// <summary>
/// A plain TCP echo server on 127.0.0.1:PORT, for the proxy's and probes' TCP paths.
/// On shutdown it stops accepting and closes open connections.
/// </summary>
internal static class TcpEchoMode
{
    private const int BufferSize = 8 * 1024;

    public static async Task RunAsync(DemoSettings settings, AppState state, JsonLog log, CancellationToken stop)
    {
        using var listener = new TcpListener(IPAddress.Loopback, settings.Port ?? 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        log.Info("listening", ("port", port), ("urls", $"tcp://127.0.0.1:{port}"), ("startupMs", state.Uptime.Elapsed));

        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var client = await listener.AcceptSocketAsync(stop);
                connections.RemoveAll(c => c.IsCompleted);
                connections.Add(EchoAsync(client, settings, log, stop));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        listener.Stop();
        await Task.WhenAll(connections).WaitAsync(settings.ShutdownTimeout, state.Uptime.Clock, CancellationToken.None)
            .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private static async Task EchoAsync(Socket client, DemoSettings settings, JsonLog log, CancellationToken stop)
    {
        await Task.Yield();
        var peer = client.RemoteEndPoint?.ToString();
        if (settings.LogRequests)
        {
            log.Info("connection opened", ("peer", peer));
        }

        var bytes = 0L;
        try
        {
            using var stream = new NetworkStream(client, ownsSocket: true);
            var buffer = new byte[BufferSize];
            int read;
            while ((read = await stream.ReadAsync(buffer, stop)) > 0)
            {
                await stream.WriteAsync(buffer.AsMemory(0, read), stop);
                bytes += read;
            }

            client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Peer reset or we are stopping: the connection is over either way.
        }

        if (settings.LogRequests)
        {
            log.Info("connection closed", ("peer", peer), ("bytes", bytes));
        }
    }
}
