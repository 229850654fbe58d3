using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Slipway.Control.Tests.Telemetry;

/// <summary>
/// A loopback HTTP/1.1 server that answers every request with the response <see cref="Respond"/> builds
/// (raw bytes, so a test can lie about Content-Length or leave it out), or never answers when
/// <see cref="Hang"/> is set. Counts the requests it has read.
/// </summary>
internal sealed class ScrapeTestServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _requests;

    public ScrapeTestServer()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Requests => Volatile.Read(ref _requests);

    public Func<byte[]> Respond { get; set; } = () => Ok("");

    public bool Hang { get; set; }

    public static byte[] Ok(string body, bool contentLength = true) => Response(200, body, contentLength);

    public static byte[] Response(int status, string body, bool contentLength = true)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = $"HTTP/1.1 {status} X\r\nContent-Type: text/plain; version=0.0.4\r\nConnection: close\r\n"
            + (contentLength ? $"Content-Length: {bytes.Length}\r\n" : "") + "\r\n";
        return [.. Encoding.ASCII.GetBytes(head), .. bytes];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                connections.Add(ServeAsync(client));
            }
        }
        finally
        {
            await Task.WhenAll(connections).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var head = new StringBuilder();
            var buffer = new byte[4096];
            while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    return;
                }

                head.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            Interlocked.Increment(ref _requests);
            if (Hang)
            {
                await Task.Delay(Timeout.Infinite, _stop.Token);
            }

            await stream.WriteAsync(Respond(), _stop.Token);
        }
    }
}
