using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Slipway.Proxy.Tests.Support;
using Slipway.Testing;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.FastPath;

/// <summary>
/// A client that stops reading a response, or sends its request body too slowly, is cut on both engines as Kestrel
/// cuts it (its <c>MinResponseDataRate</c> and <c>MinRequestBodyDataRate</c>), over plain HTTP and over TLS. On the real
/// clock (Kestrel's own heartbeat is on it) with rates set high and a grace period short, so the cut comes within the
/// bounded waits; <see cref="FastPathTimeoutTests"/> has the fast path's with Kestrel's defaults on the injected clock.
/// </summary>
public sealed class SlowClientTests
{
    /// <summary>More than every buffer on the way can hold (backend's send, proxy's receive and send, the client's receive).</summary>
    private const int LargeBody = 24 * 1024 * 1024;

    private static readonly MinDataRate Strict = new(bytesPerSecond: 1024 * 1024, gracePeriod: TimeSpan.FromSeconds(2));

    [Theory]
    [MemberData(nameof(ProxyHarness.EnginesAndTransports), MemberType = typeof(ProxyHarness))]
    public async Task Response_AClientThatStopsReading_IsCutAndTheBackendConnectionDiscarded(string engine, string transport)
    {
        await using var backend = StartLargeBackend();
        await using var proxy = await ProxyHarness.StartAsync(
            Single("api", null, null, backend.Endpoint()), o => o with { MinResponseDataRate = Strict }, engine: engine, transport: transport);
        await using var client = await StalledClient.ConnectAsync(proxy.Port, proxy.Tls);

        await client.SendAsync("GET /large HTTP/1.1\r\nHost: h\r\n\r\n");
        await Wait.UntilAsync(() => backend.Connections == 1 && backend.OpenConnections == 0, "the proxy to close its backend connection", seconds: 60);
        var (received, ended) = await client.ReadToEndAsync();

        Assert.True(ended, "the client's connection is still open after " + received + " bytes");
        Assert.True(received < LargeBody, "the whole response reached a client that did not read it");
        await Wait.UntilAsync(() => !proxy.Sink.Samples.IsEmpty, "the request's sample", seconds: 30);
        var sample = Assert.Single(proxy.Sink.Samples);
        Assert.Equal(200, sample.StatusCode);
        Assert.Equal(engine == "auto" ? 1 : 0, proxy.Proxy.Counters.FastPath);
    }

    /// <summary>
    /// A body still on its way never takes the fast path (it holds only a body that came whole with its head): the
    /// request goes to Kestrel's HTTP layer, whose rate refuses the rest of the body, and the client gets Kestrel's
    /// 408 on either engine, the client's fault and not the endpoint's (it was a 502, a proxy failure, before).
    /// </summary>
    [Theory]
    [MemberData(nameof(ProxyHarness.EnginesAndTransports), MemberType = typeof(ProxyHarness))]
    public async Task RequestBody_SentTooSlowly_Gets408(string engine, string transport)
    {
        await using var backend = RawBackend.StartOk();
        await using var proxy = await ProxyHarness.StartAsync(
            Single("api", null, null, backend.Endpoint()), o => o with { MinRequestBodyDataRate = Strict }, engine: engine, transport: transport);
        await using var client = await proxy.ConnectAsync();

        await client.SendAsync("POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 100000\r\n\r\n0123456789");
        var head = await client.ReadHeadAsync();

        Assert.StartsWith("HTTP/1.1 408 ", head, StringComparison.Ordinal);
        Assert.Equal(0, proxy.Proxy.Counters.FastPath);
        await Wait.UntilAsync(() => !proxy.Sink.Samples.IsEmpty, "the request's sample", seconds: 30);
        var sample = Assert.Single(proxy.Sink.Samples);
        Assert.Equal((408, false), (sample.StatusCode, sample.ProxyFailure));
    }

    private static RawBackend StartLargeBackend()
    {
        var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {LargeBody}\r\n\r\n");
        var answer = new byte[head.Length + LargeBody];
        head.CopyTo(answer, 0);
        answer.AsSpan(head.Length).Fill((byte)'x');
        return RawBackend.Start(_ => new RawAnswer(answer));
    }

    /// <summary>A client with a small receive buffer that reads nothing until told to.</summary>
    private sealed class StalledClient : IAsyncDisposable
    {
        private readonly Socket _socket;
        private readonly Stream _stream;

        private StalledClient(Socket socket, Stream stream)
        {
            _socket = socket;
            _stream = stream;
        }

        public static async Task<StalledClient> ConnectAsync(int port, bool tls)
        {
            // Set before connecting, so the window the client offers is small from the start.
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
            await socket.ConnectAsync(System.Net.IPAddress.Loopback, port);
            Stream stream = new NetworkStream(socket, ownsSocket: false);
            if (tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = "localhost",
                    ApplicationProtocols = [SslApplicationProtocol.Http11],
                    RemoteCertificateValidationCallback = static (_, _, _, _) => true,
                });
                stream = ssl;
            }

            return new StalledClient(socket, stream);
        }

        public Task SendAsync(string text) => _stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

        /// <summary>Everything until the end or a reset, within 30 s: how many bytes, and whether it ended.</summary>
        public async Task<(long Received, bool Ended)> ReadToEndAsync()
        {
            var buffer = new byte[65536];
            long received = 0;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                while (true)
                {
                    var read = await _stream.ReadAsync(buffer, timeout.Token);
                    if (read == 0)
                    {
                        return (received, true);
                    }

                    received += read;
                }
            }
            catch (OperationCanceledException)
            {
                return (received, false);
            }
            catch (IOException)
            {
                return (received, true);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stream.DisposeAsync();
            _socket.Dispose();
        }
    }
}
