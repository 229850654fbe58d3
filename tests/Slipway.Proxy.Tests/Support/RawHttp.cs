using System.Net.Sockets;
using System.Text;

namespace Slipway.Proxy.Tests.Support;

/// <summary>HTTP/1.1 over a bare socket, for requests no client library would send.</summary>
internal sealed class RawHttp : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private RawHttp(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<RawHttp> ConnectAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        return new RawHttp(tcp);
    }

    public Task SendAsync(string text) => _stream.WriteAsync(Encoding.Latin1.GetBytes(text)).AsTask();

    /// <summary>Reads until the text contains <paramref name="marker"/>, the peer closes, or 10 s pass.</summary>
    public async Task<string> ReadUntilAsync(string marker)
    {
        var received = new StringBuilder();
        var buffer = new byte[8192];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            while (!received.ToString().Contains(marker, StringComparison.Ordinal))
            {
                var read = await _stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    break;
                }

                received.Append(Encoding.Latin1.GetString(buffer, 0, read));
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            // What arrived so far is the answer.
        }

        return received.ToString();
    }

    /// <summary>
    /// Reads until the peer ends the connection (closes or resets it) or 10 s pass; <c>Ended</c> tells the two apart,
    /// so a test can tell a connection the proxy cut from one it left hanging.
    /// </summary>
    public async Task<(string Text, bool Ended)> ReadToEndAsync()
    {
        var received = new StringBuilder();
        var buffer = new byte[8192];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            while (true)
            {
                var read = await _stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    return (received.ToString(), true);
                }

                received.Append(Encoding.Latin1.GetString(buffer, 0, read));
            }
        }
        catch (OperationCanceledException)
        {
            return (received.ToString(), false);
        }
        catch (IOException)
        {
            // Reset by the peer: ended too.
            return (received.ToString(), true);
        }
    }

    /// <summary>Reads one response head (status line and headers).</summary>
    public Task<string> ReadHeadAsync() => ReadUntilAsync("\r\n\r\n");

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
