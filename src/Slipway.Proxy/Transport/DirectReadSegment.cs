using System.Buffers;

namespace Slipway.Proxy.Transport;

/// <summary>One pooled block of <see cref="DirectSocketReader"/>'s buffer: its <c>Memory</c> is the part received so far.</summary>
internal sealed class DirectReadSegment : ReadOnlySequenceSegment<byte>
{
    private IMemoryOwner<byte>? _block;

    /// <summary>Bytes received into the block.</summary>
    public int End { get; private set; }

    /// <summary>The block's room not yet received into.</summary>
    public Memory<byte> Free => _block!.Memory[End..];

    public void Start(IMemoryOwner<byte> block, long runningIndex)
    {
        _block = block;
        End = 0;
        RunningIndex = runningIndex;
        Memory = default;
        Next = null;
    }

    public void Received(int count)
    {
        End += count;
        Memory = _block!.Memory[..End];
    }

    public void Append(DirectReadSegment next) => Next = next;

    /// <summary>Gives the block back to the pool; the segment can start again.</summary>
    public DirectReadSegment? Release()
    {
        var next = (DirectReadSegment?)Next;
        _block?.Dispose();
        _block = null;
        End = 0;
        Memory = default;
        Next = null;
        return next;
    }
}
