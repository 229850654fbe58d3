using Microsoft.Extensions.Time.Testing;
using Slipway.Core.Routing;
using Slipway.Proxy.Tests.Support;
using Slipway.Testing;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.FastPath;

/// <remarks>
/// The fast path's timeouts run on one heartbeat timer of the injected clock that ends the waits past their deadline:
/// on a fake clock nothing ends until the clock moves past the timeout, and then it does (the timeouts are ten
/// minutes long, so the real clock cannot be what ends them within the test). The clock moves in steps until the
/// outcome shows: the connection arms its deadline when it gets to the wait, which the test cannot see.
/// </remarks>
public sealed class FastPathTimeoutTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task FirstByte_PastTheRoutesTimeoutOnTheInjectedClock_Answers504()
    {
        var time = TestClock.Create();
        var backend = RawBackend.Start(_ => RawAnswer.Of(string.Empty));
        await using var _ = backend;
        var route = RoutePolicy.Default with { FirstByteTimeout = Long };
        await using var proxy = await ProxyHarness.StartAsync(Single("api", ServicePolicy.Default with { MaxAttempts = 1 }, route, backend.Endpoint()), o => o with { TimeProvider = time });
        await using var raw = await RawHttp.ConnectAsync(proxy.Port);

        await raw.SendAsync("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        await Wait.UntilAsync(() => !backend.Requests.IsEmpty, "the request to reach the backend", seconds: 10);
        var head = raw.ReadHeadAsync();
        await AdvanceUntilAsync(time, head);

        Assert.StartsWith("HTTP/1.1 504 ", await head, StringComparison.Ordinal);
        Assert.Equal(504, Assert.Single(proxy.Sink.Samples).StatusCode);
    }

    [Fact]
    public async Task KeepAlive_AnIdleConnectionPastTheTimeoutOnTheInjectedClock_IsClosed()
    {
        var time = TestClock.Create();
        var backend = RawBackend.StartOk();
        await using var _ = backend;
        await using var proxy = await ProxyHarness.StartAsync(Single("api", null, null, backend.Endpoint()), o => o with { TimeProvider = time, KeepAliveTimeout = Long });
        await using var raw = await RawHttp.ConnectAsync(proxy.Port);

        await raw.SendAsync("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 200 ", await raw.ReadUntilAsync("\r\n\r\nok"), StringComparison.Ordinal);
        var end = raw.ReadToEndAsync();
        await AdvanceUntilAsync(time, end);

        var (text, ended) = await end;
        Assert.True(ended, "the idle connection stayed open: " + text);
        Assert.Equal(string.Empty, text);
    }

    /// <summary>
    /// A client that asks for a large response and reads none of it, with Kestrel's default rate (240 B/s after 5 s):
    /// the flush that waits for it ends once the clock passes the rate's deadline, the client's connection is aborted and
    /// the backend connection, left mid-body, is closed rather than pooled. The sample is the response's status, as the
    /// general path records a client Kestrel cut.
    /// </summary>
    [Theory]
    [MemberData(nameof(ProxyHarness.Transports), MemberType = typeof(ProxyHarness))]
    public async Task Response_AClientThatStopsReading_IsCutPastTheDataRateOnTheInjectedClock(string transport)
    {
        const int length = 24 * 1024 * 1024;
        var time = TestClock.Create();
        var answer = System.Text.Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {length}\r\n\r\n" + new string('x', length));
        var backend = RawBackend.Start(_ => new RawAnswer(answer));
        await using var _ = backend;
        await using var proxy = await ProxyHarness.StartAsync(Single("api", null, null, backend.Endpoint()), o => o with { TimeProvider = time }, transport: transport);
        var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp)
        {
            ReceiveBufferSize = 4096,
        };
        using var __ = socket;
        await socket.ConnectAsync(System.Net.IPAddress.Loopback, proxy.Port);
        await using var stream = await ClientStreamAsync(socket, proxy.Tls);

        await stream.WriteAsync("GET /large HTTP/1.1\r\nHost: h\r\n\r\n"u8.ToArray());
        await Wait.UntilAsync(() => backend.Connections == 1, "the request to reach the backend", seconds: 10);
        await Wait.UntilAsync(
            () =>
            {
                time.Advance(TimeSpan.FromDays(1));
                return backend.OpenConnections == 0;
            },
            "the proxy to close its backend connection",
            seconds: 30);
        await Wait.UntilAsync(() => !proxy.Sink.Samples.IsEmpty, "the request's sample", seconds: 10);

        Assert.Equal(200, Assert.Single(proxy.Sink.Samples).StatusCode);
        Assert.Equal(1, proxy.Proxy.Counters.FastPath);
        var buffer = new byte[65536];
        long received = 0;
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, bound.Token)) > 0)
            {
                received += read;
            }
        }
        catch (IOException)
        {
            // Reset: ended too.
        }

        Assert.True(received < length, "the whole response reached a client that did not read it");
    }

    private static async Task<Stream> ClientStreamAsync(System.Net.Sockets.Socket socket, bool tls)
    {
        var stream = new System.Net.Sockets.NetworkStream(socket, ownsSocket: false);
        if (!tls)
        {
            return stream;
        }

        var ssl = new System.Net.Security.SslStream(stream, leaveInnerStreamOpen: false);
        await ssl.AuthenticateAsClientAsync(new System.Net.Security.SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidationCallback = static (_, _, _, _) => true,
        });
        return ssl;
    }

    /// <summary>Moves the clock a timeout and a heartbeat at a time until <paramref name="outcome"/> completes (at most 10 s of real time).</summary>
    private static async Task AdvanceUntilAsync(FakeTimeProvider time, Task outcome) =>
        await Wait.UntilAsync(
            () =>
            {
                if (!outcome.IsCompleted)
                {
                    time.Advance(Long + TimeSpan.FromSeconds(1));
                }

                return outcome.IsCompleted;
            },
            "the timeout to end the wait",
            seconds: 10);
}
