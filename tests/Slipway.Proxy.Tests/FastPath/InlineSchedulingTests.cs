using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Slipway.Proxy.FastPath;
using Slipway.Proxy.Tests.Support;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.FastPath;

/// <summary>
/// <c>InlineScheduling</c>: the transport runs pipe continuations inline, the fast path runs there, and every connection
/// of the general path (handed over, or on a listener the fast path does not serve) is moved to the thread pool.
/// </summary>
public sealed class InlineSchedulingTests
{
    [Fact]
    public async Task ThreadPoolPipeReader_AReadThatWaited_ResumesOnTheThreadPool_ThoughThePipeSchedulesInline()
    {
        var pipe = new Pipe(new PipeOptions(readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false));
        var reader = new ThreadPoolPipeReader(pipe.Reader);

        var where = ReadAsync(reader);
        Assert.False(where.IsCompleted);
        // The writer is not a thread-pool thread: an inline pipe alone would run the reader's continuation on it.
        var writer = new Thread(() => pipe.Writer.WriteAsync("hello"u8.ToArray()).AsTask().GetAwaiter().GetResult());
        writer.Start();
        writer.Join();

        Assert.Equal(("hello", true), await where);
    }

    [Fact]
    public async Task ThreadPoolPipeReader_AReadAlreadyComplete_ReturnsAtOnce()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync("hi"u8.ToArray());
        var reader = new ThreadPoolPipeReader(pipe.Reader);

        var read = reader.ReadAsync();

        Assert.True(read.IsCompletedSuccessfully);
        Assert.Equal(2, (await read).Buffer.Length);
    }

    [Fact]
    public async Task Proxy_FastPathHandOverAndH2c_AllServed()
    {
        await using var backend = RawBackend.StartOk();
        await using var proxy = await ProxyHarness.StartAsync(Single("api", null, null, backend.Endpoint()), o => o with { InlineScheduling = true, DirectTransport = false });
        await using var raw = await RawHttp.ConnectAsync(proxy.Port);

        await raw.SendAsync("GET /one HTTP/1.1\r\nHost: h\r\n\r\n");
        var fast = await raw.ReadUntilAsync("ok");
        // A chunk extension: the fast path hands this request, and the connection, to Kestrel's HTTP layer.
        await raw.SendAsync("POST /two HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;ext\r\nhello\r\n0\r\n\r\n");
        var handedOver = await raw.ReadUntilAsync("ok");
        await raw.SendAsync("GET /three HTTP/1.1\r\nHost: h\r\n\r\n");
        var afterHandOver = await raw.ReadUntilAsync("ok");
        using var h2 = ProxyHarness.CreateClient(proxy.H2c, HttpVersion.Version20);
        using var overH2 = await h2.GetAsync("/four");

        Assert.All([fast, handedOver, afterHandOver], answer => Assert.StartsWith("HTTP/1.1 200 OK\r\n", answer, StringComparison.Ordinal));
        Assert.Equal((HttpStatusCode.OK, "ok"), (overH2.StatusCode, await overH2.Content.ReadAsStringAsync()));
        Assert.Equal(1, proxy.Proxy.Counters.FastPath);
        Assert.Equal(["/one", "/two", "/three", "/four"], backend.Requests.Select(r => r.Split(' ')[1]));
    }

    private static async Task<(string Text, bool OnThreadPool)> ReadAsync(PipeReader reader)
    {
        var result = await reader.ReadAsync().ConfigureAwait(false);
        var onThreadPool = Thread.CurrentThread.IsThreadPoolThread;
        var text = System.Text.Encoding.ASCII.GetString(result.Buffer.ToArray());
        reader.AdvanceTo(result.Buffer.End);
        return (text, onThreadPool);
    }
}
