using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using Slipway.Proxy.Tests.Support;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.Forwarding;

/// <summary>Bodies flow as they are produced, both ways, without the proxy holding them.</summary>
[Collection(RunsAlone.Name)]
public sealed class StreamingTests
{
    private const long HundredMegabytes = 100L * 1024 * 1024;

    [Fact]
    public async Task ServerSentEvents_ReachTheClientAsWritten()
    {
        var secondEvent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var backend = await TestBackend.StartAsync("sse", async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: one\n\n");
            await context.Response.Body.FlushAsync();
            await secondEvent.Task.WaitAsync(context.RequestAborted);
            await context.Response.WriteAsync("data: two\n\n");
        });
        await using var proxy = await ProxyHarness.StartAsync(Single("sse", null, null, backend.Endpoint()));

        using var response = await proxy.Client.GetAsync("/events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        // The first event arrives while the backend is still holding the second back.
        Assert.Equal("data: one", await reader.ReadLineAsync());
        secondEvent.SetResult();
        Assert.Equal(string.Empty, await reader.ReadLineAsync());
        Assert.Equal("data: two", await reader.ReadLineAsync());
    }

    [Theory]
    [InlineData(10)]
    [InlineData(50)]
    public async Task Upload_ToABackendThatAnswersWhileItReads_ComesBackWhole(int megabytes)
    {
        // An echo writes its answer as it reads the body: the proxy must take that answer while it still sends the
        // body, or both sides fill their socket buffers (about 9 MB on loopback) and wait for each other until a 504.
        await using var backend = await TestBackend.StartAsync("echo", context => context.Request.Body.CopyToAsync(context.Response.Body, 8 * 1024, context.RequestAborted));
        await using var proxy = await ProxyHarness.StartAsync(Single("echo", null, null, backend.Endpoint()),
            options => options with { Backend = options.Backend with { MaxReadAhead = 64L * 1024 * 1024 } });
        var body = new byte[megabytes * 1024 * 1024];
        Random.Shared.NextBytes(body);
        proxy.Client.Timeout = TimeSpan.FromSeconds(120);

        using var response = await proxy.Client.PostAsync("/echo", new ByteArrayContent(body)).WaitAsync(TimeSpan.FromSeconds(60));
        var echoed = await response.Content.ReadAsByteArrayAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body.Length, echoed.Length);
        Assert.True(body.AsSpan().SequenceEqual(echoed), "the echo differs from what was sent");
    }

    [Theory]
    [MemberData(nameof(ProxyHarness.Engines), MemberType = typeof(ProxyHarness))]
    public async Task Upload_ReachesTheBackendBeforeTheClientFinishes(string engine)
    {
        var firstBytes = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var backend = await TestBackend.StartAsync("up", async context =>
        {
            var buffer = new byte[64];
            var read = await context.Request.Body.ReadAsync(buffer);
            firstBytes.SetResult(Encoding.ASCII.GetString(buffer, 0, read));
            await context.Request.Body.CopyToAsync(Stream.Null);
            await context.Response.WriteAsync("done");
        });
        await using var proxy = await ProxyHarness.StartAsync(Single("up", null, null, backend.Endpoint()), engine: engine);
        await using var raw = await RawHttp.ConnectAsync(proxy.Port);

        await raw.SendAsync("POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n");
        Assert.Equal("first", await firstBytes.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        await raw.SendAsync("4\r\nrest\r\n0\r\n\r\n");

        Assert.Contains("done", await raw.ReadUntilAsync("done"), StringComparison.Ordinal);
    }

    /// <remarks>On the direct transport the body goes through the hand-over's pumped pipes (the fast path takes none this large).</remarks>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Upload100MB_StreamsWithBoundedAllocation(bool direct)
    {
        // A bare-socket backend that reads the body into one reused buffer, so the bytes
        // allocated during the upload are the proxy's (and the client's, which streams too).
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var sink = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            var buffer = new byte[64 * 1024];
            var head = new StringBuilder();
            long body = 0;
            var headDone = false;
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer);
                if (read == 0)
                {
                    return -1L;
                }

                if (!headDone)
                {
                    head.Append(Encoding.Latin1.GetString(buffer, 0, read));
                    var text = head.ToString();
                    var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                    if (end < 0)
                    {
                        continue;
                    }

                    body = text.Length - (end + 4);
                    headDone = true;
                }
                else
                {
                    body += read;
                }

                if (body >= HundredMegabytes)
                {
                    await socket.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
                    return body;
                }
            }
        });
        await using var proxy = await ProxyHarness.StartAsync(Single("sink", null, null, Endpoint("sink1", port)), o => o with { DirectTransport = direct });

        var before = GC.GetTotalAllocatedBytes(precise: true);
        using var content = new StreamContent(new ZeroStream(HundredMegabytes), 64 * 1024);
        content.Headers.ContentLength = HundredMegabytes;
        using var response = await proxy.Client.PostAsync("/upload", content);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HundredMegabytes, await sink);

        // Buffering the body anywhere would cost 100 MB.
        Assert.True(allocated < 16 * 1024 * 1024, $"allocated {allocated / 1024 / 1024} MB for a 100 MB upload");
    }

    [Fact]
    public async Task Download100MB_StreamsWithBoundedAllocation()
    {
        var chunk = new byte[64 * 1024];
        await using var backend = await TestBackend.StartAsync("source", async context =>
        {
            context.Response.ContentLength = HundredMegabytes;
            for (long sent = 0; sent < HundredMegabytes; sent += chunk.Length)
            {
                await context.Response.Body.WriteAsync(chunk);
            }
        });
        await using var proxy = await ProxyHarness.StartAsync(Single("source", null, null, backend.Endpoint()));

        var before = GC.GetTotalAllocatedBytes(precise: true);
        using var response = await proxy.Client.GetAsync("/download", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(HundredMegabytes, total);
        Assert.True(allocated < 24 * 1024 * 1024, $"allocated {allocated / 1024 / 1024} MB for a 100 MB download");
    }

    [Fact]
    public async Task Trailers_FromAChunkedBackend_ReachAnHttp2Client()
    {
        // A hand-written HTTP/1.1 backend: chunked body followed by a trailer field.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serve = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            var buffer = new byte[4096];
            await socket.ReceiveAsync(buffer);
            await socket.SendAsync(Encoding.ASCII.GetBytes(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n5\r\nhello\r\n0\r\nX-Checksum: abc123\r\n\r\n"));
            await socket.ReceiveAsync(buffer);
        });
        await using var proxy = await ProxyHarness.StartAsync(Single("t", null, null, Endpoint("t1", port)));

        using var client = ProxyHarness.CreateClient(proxy.H2c, HttpVersion.Version20);
        using var response = await client.GetAsync("/");

        Assert.Equal("hello", await response.Content.ReadAsStringAsync());
        Assert.Equal("abc123", response.TrailingHeaders.GetValues("X-Checksum").Single());
    }

    [Theory]
    [MemberData(nameof(ProxyHarness.Engines), MemberType = typeof(ProxyHarness))]
    public async Task RequestTrailers_FromAChunkedHttp1Client_ReachTheBackendAsTrailers(string engine)
    {
        await using var backend = await TestBackend.StartAsync("t", async context =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            var trailer = context.Request.SupportsTrailers() && context.Request.CheckTrailersAvailable()
                ? context.Request.GetTrailer("X-Checksum").ToString()
                : "(none)";
            var smuggled = context.Request.GetTrailer("Content-Length").ToString();
            await context.Response.WriteAsync($"body={body} trailer={trailer} cl={smuggled}.");
        });
        await using var proxy = await ProxyHarness.StartAsync(Single("t", null, null, backend.Endpoint()), engine: engine);
        await using var raw = await RawHttp.ConnectAsync(proxy.Port);

        await raw.SendAsync(
            "POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n" +
            "5\r\nhello\r\n0\r\nX-Checksum: abc123\r\nContent-Length: 99\r\n\r\n");

        Assert.Contains("body=hello trailer=abc123 cl=.", await raw.ReadUntilAsync("\r\n0\r\n\r\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestTrailers_FromAnHttp2Client_ReachTheBackendAsTrailers()
    {
        await using var backend = await TestBackend.StartAsync("t", async context =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            var trailer = context.Request.CheckTrailersAvailable() ? context.Request.GetTrailer("x-checksum").ToString() : "(none)";
            await context.Response.WriteAsync($"body={body} trailer={trailer}.");
        });
        await using var proxy = await ProxyHarness.StartAsync(Single("t", null, null, backend.Endpoint()));

        var answer = await RawHttp2.PostWithTrailersAsync(proxy.H2c.Port, "/up", "hello", ("x-checksum", "abc123"));

        Assert.Equal("body=hello trailer=abc123.", answer);
    }

    [Theory]
    [MemberData(nameof(ProxyHarness.Engines), MemberType = typeof(ProxyHarness))]
    public async Task RequestWithoutTrailers_StillEndsItsChunkedBodyForTheBackend(string engine)
    {
        // The last-chunk rewrite must leave bodies that merely end in "0\r\n" alone.
        await using var backend = await TestBackend.StartAsync("t", async context =>
            await context.Response.WriteAsync("[" + await new StreamReader(context.Request.Body).ReadToEndAsync() + "]"));
        await using var proxy = await ProxyHarness.StartAsync(Single("t", null, null, backend.Endpoint()), engine: engine);
        await using var raw = await RawHttp.ConnectAsync(proxy.Port);

        await raw.SendAsync("POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nab0\n\r\n0\r\n\r\n");

        Assert.Contains("[ab0\n]", await raw.ReadUntilAsync("]"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trailers_FromAChunkedBackend_AnHttp1ClientGetsTheBodyWithoutThem()
    {
        // Kestrel cannot send response trailers over HTTP/1.1 (SupportsTrailers is false there),
        // so an HTTP/1.1 client gets the whole body and a clean end, and the next request works.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serve = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            var buffer = new byte[4096];
            for (var i = 0; i < 2; i++)
            {
                await socket.ReceiveAsync(buffer);
                await socket.SendAsync(Encoding.ASCII.GetBytes(
                    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n5\r\nhello\r\n0\r\nX-Checksum: abc123\r\n\r\n"));
            }
        });
        await using var proxy = await ProxyHarness.StartAsync(Single("t", null, null, Endpoint("t1", port)));
        await using var raw = await RawHttp.ConnectAsync(proxy.Port);

        await raw.SendAsync("GET / HTTP/1.1\r\nHost: h\r\nTE: trailers\r\n\r\n");
        var first = await raw.ReadUntilAsync("\r\n0\r\n\r\n");
        await raw.SendAsync("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        var second = await raw.ReadUntilAsync("\r\n0\r\n\r\n");

        Assert.Contains("5\r\nhello\r\n0\r\n\r\n", first, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200", second, StringComparison.Ordinal);
        await serve.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>A long stream of zeros that allocates nothing per read.</summary>
    private sealed class ZeroStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, length - _position);
            buffer[..n].Clear();
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
