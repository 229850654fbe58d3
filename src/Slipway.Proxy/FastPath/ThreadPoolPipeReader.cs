using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Slipway.Proxy.FastPath;

/// <summary>
/// A connection's input whose reads that had to wait resume on the thread pool. With Kestrel's inline scheduling (on
/// while the fast path is installed) a read resumes on the epoll thread that received the bytes: right for the fast
/// path's short request code, wrong for Kestrel's HTTP layer and the general forwarder, which measured 2-3x the CPU per
/// request there. A read that is already complete returns at once, on the caller's thread.
/// </summary>
internal sealed class ThreadPoolPipeReader(PipeReader inner) : PipeReader
{
    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var read = inner.ReadAsync(cancellationToken);
        return read.IsCompleted ? read : ResumeOnThreadPoolAsync(read);
    }

    public override bool TryRead(out ReadResult result) => inner.TryRead(out result);

    public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<ReadResult> ResumeOnThreadPoolAsync(ValueTask<ReadResult> read)
    {
        var result = await read.ConfigureAwait(false);
        await Task.Yield();
        return result;
    }
}
