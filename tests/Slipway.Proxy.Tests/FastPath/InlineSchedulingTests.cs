using System.Buffers;
using System.IO.Pipelines;
using Slipway.Proxy.FastPath;

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

    private static async Task<(string Text, bool OnThreadPool)> ReadAsync(PipeReader reader)
    {
        var result = await reader.ReadAsync().ConfigureAwait(false);
        var onThreadPool = Thread.CurrentThread.IsThreadPoolThread;
        var text = System.Text.Encoding.ASCII.GetString(result.Buffer.ToArray());
        reader.AdvanceTo(result.Buffer.End);
        return (text, onThreadPool);
    }
}
