using Slipway.Proxy.Forwarding;

namespace Slipway.Proxy.Tests.Forwarding;

public sealed class WebSocketFrameTrackerTests
{
    private static byte[] Frame(int payload, bool masked = false)
    {
        var header = new List<byte> { 0x82 };
        var maskBit = masked ? 0x80 : 0;
        if (payload < 126)
        {
            header.Add((byte)(maskBit | payload));
        }
        else if (payload <= ushort.MaxValue)
        {
            header.Add((byte)(maskBit | 126));
            header.Add((byte)(payload >> 8));
            header.Add((byte)payload);
        }
        else
        {
            header.Add((byte)(maskBit | 127));
            for (var shift = 56; shift >= 0; shift -= 8)
            {
                header.Add((byte)((long)payload >> shift));
            }
        }

        if (masked)
        {
            header.AddRange([1, 2, 3, 4]);
        }

        return [.. header, .. new byte[payload]];
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(5, false)]
    [InlineData(300, false)]
    [InlineData(70_000, false)]
    [InlineData(5, true)]
    public void Consume_WholeFrame_EndsAtItsBoundary(int payload, bool masked)
    {
        var tracker = new WebSocketFrameTracker();
        var frame = Frame(payload, masked);

        Assert.Equal(frame.Length, tracker.Consume(frame));
        Assert.True(tracker.AtBoundary);
    }

    [Fact]
    public void Consume_TwoFrames_StopsAfterTheFirst()
    {
        var tracker = new WebSocketFrameTracker();
        var first = Frame(10);
        byte[] both = [.. first, .. Frame(3)];

        Assert.Equal(first.Length, tracker.Consume(both));
        Assert.True(tracker.AtBoundary);
    }

    [Fact]
    public void Consume_ByteAtATime_TracksHeadersSplitAcrossReads()
    {
        var tracker = new WebSocketFrameTracker();
        var frame = Frame(300);
        for (var i = 0; i < frame.Length - 1; i++)
        {
            tracker.Consume(frame.AsSpan(i, 1));
            Assert.False(tracker.AtBoundary);
        }

        tracker.Consume(frame.AsSpan(frame.Length - 1, 1));
        Assert.True(tracker.AtBoundary);
    }
}
