using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using Slipway.Core.Routing;
using Slipway.Proxy.Tests.Support;
using Slipway.Testing;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.Edge;

/// <summary><c>proxy.limits</c> over real sockets: body size, connections, slow headers, idle keep-alive.</summary>
public sealed class RequestLimitsTests : IAsyncLifetime
{
    private const int Limit = 64 * 1024;
    private readonly ConcurrentQueue<string> _bodies = new();
    private readonly TaskCompletionSource _backendReading = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TestBackend _backend = null!;

    public async Task InitializeAsync() =>
        _backend = await TestBackend.StartAsync("api", async context =>
        {
            try
            {
                var length = 0L;
                var buffer = new byte[16 * 1024];
                int read;
                while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
                {
                    length += read;
                    _backendReading.TrySetResult();
                }

                _bodies.Enqueue("complete " + length);
                await context.Response.WriteAsync("got " + length);
            }
            catch (Exception exception) when (exception is IOException or OperationCanceledException)
            {
                _bodies.Enqueue("aborted");
            }
        });

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    private Task<ProxyHarness> StartAsync(Func<ProxyServerOptions, ProxyServerOptions>? configure = null, string engine = "auto") =>
        ProxyHarness.StartAsync(
            Single("api", null, null, _backend.Endpoint()),
            o => (configure ?? (x => x))(o with { MaxRequestBodyBytes = Limit }),
            engine);

    [Theory]
    [MemberData(nameof(ProxyHarness.Engines), MemberType = typeof(ProxyHarness))]
    public async Task ContentLengthOverTheLimit_413BeforeAnythingIsForwarded(string engine)
    {
        await using var proxy = await StartAsync(engine: engine);
        await using var raw = await RawHttp.ConnectAsync(proxy.Port);
        await raw.SendAsync($"POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: {Limit + 1}\r\nExpect: 100-continue\r\n\r\n");
        var answer = await raw.ReadUntilAsync("too large\n");

        Assert.StartsWith("HTTP/1.1 413", answer, StringComparison.Ordinal);
        Assert.Contains("Connection: close", answer, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, _backend.Requests);
        await Wait.UntilAsync(() => !proxy.Sink.Samples.IsEmpty, "the request to be recorded", seconds: 10);
        Assert.Contains(proxy.Sink.Samples, s => s is { StatusCode: 413, Refusal: EdgeRefusal.BodyTooLarge });
    }

    [Theory]
    [MemberData(nameof(ProxyHarness.Engines), MemberType = typeof(ProxyHarness))]
    public async Task ContentLengthAtTheLimit_Forwarded(string engine)
    {
        await using var proxy = await StartAsync(engine: engine);
        using var response = await proxy.Client.PostAsync("/upload", new ByteArrayContent(new byte[Limit]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("got " + Limit, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(ProxyHarness.Engines), MemberType = typeof(ProxyHarness))]
    public async Task ChunkedOverTheLimit_413AndTheBackendSeesAnAbortedRequest(string engine)
    {
        await using var proxy = await StartAsync(engine: engine);

        // The first 16 KB go, the rest waits until the backend is reading: it must see a request begin and break off.
        using var content = new StreamContent(new SlowStream(chunk: 16 * 1024, total: 4 * Limit, _backendReading.Task));
        using var response = await proxy.Client.PostAsync("/upload", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await Wait.UntilAsync(() => !_bodies.IsEmpty, "the backend to see the request end", seconds: 10);
        Assert.Equal(["aborted"], _bodies);

        // Recorded once the exchange is over, which may be after the client read its answer.
        await Wait.UntilAsync(() => !proxy.Sink.Samples.IsEmpty, "the request to be recorded", seconds: 10);
        Assert.Contains(proxy.Sink.Samples, s => s is { StatusCode: 413, Refusal: EdgeRefusal.BodyTooLarge, ProxyFailure: false });
    }

    [Theory]
    [MemberData(nameof(ProxyHarness.Engines), MemberType = typeof(ProxyHarness))]
    public async Task ChunkedUnderTheLimit_ArrivesWhole(string engine)
    {
        await using var proxy = await StartAsync(engine: engine);
        using var content = new StreamContent(new SlowStream(chunk: 16 * 1024, total: Limit));
        using var response = await proxy.Client.PostAsync("/upload", content);

        Assert.Equal("got " + Limit, await response.Content.ReadAsStringAsync());
        Assert.Equal(["complete " + Limit], _bodies);
    }

    [Fact]
    public async Task MaxConnections_TheConnectionOverTheLimitIsClosed()
    {
        await using var proxy = await StartAsync(o => o with { MaxConnections = 2 });
        await using var first = await OpenAsync(proxy.Port);
        await using var second = await OpenAsync(proxy.Port);

        await using var third = await RawHttp.ConnectAsync(proxy.Port);
        await third.SendAsync("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        Assert.Equal("", await third.ReadHeadAsync());
    }

    [Fact]
    public async Task RequestHeadersTimeout_ASlowlorisClientIsCutOff()
    {
        await using var proxy = await StartAsync(o => o with { RequestHeadersTimeout = TimeSpan.FromSeconds(1) });
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, proxy.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync("GET / HTTP/1.1\r\nHost: h\r\n"u8.ToArray());

        // One more header line every 200 ms, for at most 20 s: the edge must cut it off well before.
        var closed = false;
        var buffer = new byte[1024];
        for (var i = 0; i < 100 && !closed; i++)
        {
            try
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"X-Slow-{i}: x\r\n"));
                using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
                var read = await stream.ReadAsync(buffer, wait.Token);
                closed = read == 0 || Encoding.ASCII.GetString(buffer, 0, read).StartsWith("HTTP/1.1 408", StringComparison.Ordinal);
            }
            catch (OperationCanceledException)
            {
                // Still open: keep dripping.
            }
            catch (IOException)
            {
                closed = true;
            }
        }

        Assert.True(closed, "a client sending its headers a line at a time held the connection for 20 s");
        Assert.Equal(0, _backend.Requests);
    }

    [Fact]
    public async Task KeepAliveTimeout_AnIdleConnectionIsClosed()
    {
        await using var proxy = await StartAsync(o => o with { KeepAliveTimeout = TimeSpan.FromSeconds(1) });
        await using var raw = await OpenAsync(proxy.Port);

        // ReadUntilAsync gives up after 10 s; the connection must close before.
        Assert.Equal("", await raw.ReadUntilAsync("never"));
    }

    /// <summary>A keep-alive connection that has had one answered request, read to its end.</summary>
    private static async Task<RawHttp> OpenAsync(int port)
    {
        var raw = await RawHttp.ConnectAsync(port);
        await raw.SendAsync("GET / HTTP/1.1\r\nHost: h\r\n\r\n");

        // The answer is chunked (the backend writes no length): up to its last chunk, which may come in a send of its
        // own, after the body's; read only up to the body, that last chunk was the next read's.
        Assert.StartsWith("HTTP/1.1 200", await raw.ReadUntilAsync("got 0\r\n0\r\n\r\n"), StringComparison.Ordinal);
        return raw;
    }

    /// <summary>A body of unknown length (so it goes chunked), handed out a chunk per read.</summary>
    private sealed class SlowStream(int chunk, long total, Task? afterFirstChunk = null) : Stream
    {
        private long _sent;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _sent; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_sent > 0 && afterFirstChunk is not null)
            {
                afterFirstChunk.Wait(TimeSpan.FromSeconds(10));
            }

            var n = (int)Math.Min(Math.Min(count, chunk), total - _sent);
            Array.Fill(buffer, (byte)'x', offset, n);
            _sent += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
