using System.Text;
using Slipway.Proxy.FastPath;

namespace Slipway.Proxy.Tests.FastPath;

public sealed class ChunkDecoderTests
{
    /// <summary>Feeds the body one byte more at a time, as a slow backend would send it.</summary>
    private static (string Data, ChunkStep Last) Decode(string body)
    {
        var bytes = Encoding.ASCII.GetBytes(body);
        var decoder = default(ChunkDecoder);
        var data = new StringBuilder();
        var start = 0;
        var available = 1;
        while (true)
        {
            var step = decoder.Next(bytes.AsSpan(start, available - start), out var count);
            switch (step)
            {
                case ChunkStep.Data:
                    data.Append(Encoding.ASCII.GetString(bytes, start, count));
                    start += count;
                    break;
                case ChunkStep.Skip:
                    start += count;
                    break;
                case ChunkStep.NeedMore when available < bytes.Length:
                    available++;
                    break;
                default:
                    return (data.ToString(), step);
            }
        }
    }

    [Theory]
    [InlineData("5\r\nhello\r\n0\r\n\r\n", "hello")]
    [InlineData("5;name=value\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", "hello world")]
    [InlineData("A\r\n0123456789\r\n0\r\nX-Trailer: yes\r\n\r\n", "0123456789")]
    [InlineData("00000003\r\nabc\r\n0\r\n\r\n", "abc")]
    public void Next_WellFormedBody_YieldsThePayloadAndEnds(string body, string payload)
    {
        var (data, last) = Decode(body);

        Assert.Equal(ChunkStep.Done, last);
        Assert.Equal(payload, data);
    }

    [Theory]
    [InlineData("zz\r\nhello\r\n0\r\n\r\n")] // not hex
    [InlineData("ffffffffffffffffff\r\n")] // overflows
    [InlineData("-5\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5\r\nhelloXX0\r\n\r\n")] // no CRLF after the data
    [InlineData("\r\nhello\r\n")] // no size
    [InlineData("5 x\r\nhello\r\n0\r\n\r\n")]
    public void Next_MalformedBody_IsAnError(string body) => Assert.Equal(ChunkStep.Error, Decode(body).Last);

    [Fact]
    public void Next_BodyCutShort_NeedsMore() => Assert.Equal(ChunkStep.NeedMore, Decode("5\r\nhel").Last);
}
