using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Slipway.Proxy.Tests.Support;

/// <summary>HTTP/1.1 over a bare socket, or over TLS on one, for requests no client library would send.</summary>
internal sealed class RawHttp : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly Stream _stream;

    private RawHttp(TcpClient tcp, Stream stream)
    {
        _tcp = tcp;
        _stream = stream;
    }

    public static async Task<RawHttp> ConnectAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        return new RawHttp(tcp, tcp.GetStream());
    }

    /// <summary>A TLS connection offering <paramref name="alpn"/> (empty: no ALPN extension at all), trusting any certificate.</summary>
    public static async Task<RawHttp> ConnectTlsAsync(int port, List<SslApplicationProtocol> alpn)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ApplicationProtocols = alpn.Count == 0 ? null : alpn,
            RemoteCertificateValidationCallback = static (_, _, _, _) => true,
        });
        return new RawHttp(tcp, ssl);
    }

    /// <summary>The protocol TLS agreed on in ALPN (empty over plain TCP or without ALPN).</summary>
    public string Alpn => _stream is SslStream ssl ? ssl.NegotiatedApplicationProtocol.ToString() : string.Empty;

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

    /// <summary>One read: what the first segment (or TLS record) to arrive carried, within 10 s (empty if none or the peer closed).</summary>
    public async Task<string> ReadOnceAsync()
    {
        var buffer = new byte[65536];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            var read = await _stream.ReadAsync(buffer, timeout.Token);
            return Encoding.Latin1.GetString(buffer, 0, read);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            return string.Empty;
        }
    }

    /// <summary>Reads one response head (status line and headers).</summary>
    public Task<string> ReadHeadAsync() => ReadUntilAsync("\r\n\r\n");

    /// <summary>Closes the connection with a reset (no FIN), as a load generator stopping does.</summary>
    public void Reset()
    {
        _tcp.Client.LingerState = new LingerOption(true, 0);
        _tcp.Client.Close();
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
