using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Slipway.Proxy.FastPath;

namespace Slipway.Proxy.Tests.FastPath;

public sealed class RequestHeadParserTests
{
    private const long MaxBody = 64 * 1024;

    private static (HeadParse Result, RequestHead Head) Parse(string text, long maxBody = MaxBody)
    {
        var head = new RequestHead();
        return (RequestHeadParser.Parse(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(text)), head, maxBody), head);
    }

    [Fact]
    public void Parse_PlainGet_ReadsMethodTargetPathAndHeaders()
    {
        var (result, head) = Parse("GET /a/b?x=1 HTTP/1.1\r\nHost: shop.example:8080\r\nAccept:  */* \r\nX-Request-Id: abc-1\r\n\r\nGET /next");

        Assert.Equal(HeadParse.Parsed, result);
        Assert.Same(HttpMethods.Get, head.Method);
        Assert.Equal("/a/b?x=1", Encoding.ASCII.GetString(head.Target));
        Assert.Equal("/a/b", Encoding.ASCII.GetString(head.Path));
        Assert.Equal("shop.example:8080", Encoding.ASCII.GetString(head.Value(head.Host)));
        Assert.Equal("*/*", Encoding.ASCII.GetString(head.Value(1)));
        Assert.Equal("abc-1", Encoding.ASCII.GetString(head.Value(head.RequestId)));
        Assert.Equal("GET /a/b?x=1 HTTP/1.1\r\nHost: shop.example:8080\r\nAccept:  */* \r\nX-Request-Id: abc-1\r\n\r\n".Length, head.Length);
        Assert.False(head.Close);
    }

    [Fact]
    public void Parse_HeadSplitOverSegments_IsReadWhole()
    {
        var first = new Segment(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHo"));
        var last = first.Append(Encoding.ASCII.GetBytes("st: h\r\n\r\n"));
        var head = new RequestHead();

        Assert.Equal(HeadParse.Parsed, RequestHeadParser.Parse(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length), head, MaxBody));
        Assert.Equal("h", Encoding.ASCII.GetString(head.Value(head.Host)));
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\n\r")]
    [InlineData("GET / HTT")]
    public void Parse_HeadNotEnded_IsIncomplete(string text) => Assert.Equal(HeadParse.Incomplete, Parse(text).Result);

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\nX-B: 2\r\n\r\n")] // bare LF
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\rX-B: 2\r\n\r\n")] // bare CR
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n 2\r\n\r\n")] // obs-fold
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nX-A : 1\r\n\r\n")] // whitespace before the colon
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nX-A: a\0b\r\n\r\n")] // NUL
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nX-A: caf\u00e9\r\n\r\n")] // obs-text
    [InlineData("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n")] // CL.TE
    [InlineData("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\nContent-Length: 1\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\nx-a: 2\r\n\r\n")] // repeated
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nHost: i\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nX-A: 1\r\n\r\n")] // no Host
    [InlineData("GET / HTTP/1.1\r\nHost: h/x\r\n\r\n")]
    [InlineData("GET / HTTP/1.0\r\nHost: h\r\n\r\n")]
    [InlineData("GET http://h/ HTTP/1.1\r\nHost: h\r\n\r\n")] // absolute form
    [InlineData("GET /a%2Fb HTTP/1.1\r\nHost: h\r\n\r\n")]
    [InlineData("GET /a/../b HTTP/1.1\r\nHost: h\r\n\r\n")]
    [InlineData("GET /a#b HTTP/1.1\r\nHost: h\r\n\r\n")]
    [InlineData("GET  / HTTP/1.1\r\nHost: h\r\n\r\n")]
    [InlineData("BREW / HTTP/1.1\r\nHost: h\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, X-Secret\r\n\r\n")]
    public void Parse_MalformedOrOutsideTheFastPath_GoesToGeneral(string text) => Assert.Equal(HeadParse.General, Parse(text).Result);

    [Fact]
    public void Parse_ContentLengthBodyAllThere_IsTakenWithItsLength()
    {
        var (result, head) = Parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\n");

        Assert.Equal(HeadParse.Parsed, result);
        Assert.Equal((BodyFraming.Length, 5L, 5L), (head.Framing, head.BodyLength, head.WireLength));
        Assert.True(head.Headers[head.ContentLength].Forward);
    }

    [Fact]
    public void Parse_ChunkedBodySplitOverSegments_IsTakenAndItsPayloadCopied()
    {
        var first = new Segment(Encoding.ASCII.GetBytes("PUT / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab"));
        var last = first.Append(Encoding.ASCII.GetBytes("c\r\n1a\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n\r\nnext"));
        var input = new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        var head = new RequestHead();

        Assert.Equal(HeadParse.Parsed, RequestHeadParser.Parse(input, head, MaxBody));
        Assert.Equal((BodyFraming.Chunked, 29L), (head.Framing, head.BodyLength));
        Assert.Equal(input.Length - head.Length - "next".Length, head.WireLength);
        var payload = new byte[29];
        RequestBodyReader.CopyPayload(input.Slice(head.Length, head.WireLength), payload);
        Assert.Equal("abcabcdefghijklmnopqrstuvwxyz", Encoding.ASCII.GetString(payload));
    }

    [Theory]
    [InlineData("Content-Length: 6\r\n\r\nhello")] // still on its way
    [InlineData("Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")] // no last chunk yet
    [InlineData("Transfer-Encoding: chunked\r\n\r\n05\r\nhello\r\n0\r\n\r\n")] // leading zero
    [InlineData("Transfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n0\r\n\r\n")] // extension
    [InlineData("Transfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n")] // whitespace
    [InlineData("Transfer-Encoding: chunked\r\n\r\n5\r\nhelloX\r\n0\r\n\r\n")] // data past its size
    [InlineData("Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-Sum: 1\r\n\r\n")] // trailers
    [InlineData("Transfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\nhello\r\n0\r\n\r\n")] // overflow
    [InlineData("Transfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")]
    [InlineData("Transfer-Encoding: chunked\r\nX-Content-Length: 5\r\n\r\n5\r\nhello\r\n0\r\n\r\n")]
    [InlineData("Content-Length: +5\r\n\r\nhello")]
    [InlineData("Content-Length: 5, 5\r\n\r\nhello")]
    [InlineData("Content-Length: 0\r\n\r\n")]
    public void Parse_BodyNotWholeOrNotPlain_GoesToGeneral(string framing) =>
        Assert.Equal(HeadParse.General, Parse("POST / HTTP/1.1\r\nHost: h\r\n" + framing).Result);

    [Fact]
    public void Parse_BodyOverTheHeldLimit_GoesToGeneral()
    {
        Assert.Equal(HeadParse.General, Parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello", maxBody: 4).Result);
        Assert.Equal(HeadParse.General, Parse("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n", maxBody: 4).Result);
        Assert.Equal(HeadParse.Parsed, Parse("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n", maxBody: 5).Result);
    }

    [Fact]
    public void Parse_HeadLongerThanItsBuffer_GoesToGeneral()
    {
        var text = "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + new string('a', RequestHead.MaxLength) + "\r\n\r\n";

        Assert.Equal(HeadParse.General, Parse(text).Result);
        Assert.Equal(HeadParse.General, Parse(text[..(RequestHead.MaxLength + 10)]).Result);
    }

    [Fact]
    public void Parse_HopByHopAndIdentityClaims_AreNotForwarded()
    {
        var (result, head) = Parse(
            "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\nKeep-Alive: 5\r\nTE: trailers\r\nForwarded: for=1.2.3.4\r\nX-Forwarded-For: 1.2.3.4\r\nX-Real-IP: 1.2.3.4\r\nProxy-Authorization: x\r\nAccept: a\r\n\r\n");

        Assert.Equal(HeadParse.Parsed, result);
        Assert.True(head.Close);
        var forwarded = Enumerable.Range(0, head.HeaderCount).Where(i => head.Headers[i].Forward).Select(i => Encoding.ASCII.GetString(head.Name(i)));
        Assert.Equal(["Accept"], forwarded);
    }

    [Theory]
    [InlineData("X-Request-Id: <script>")]
    [InlineData("X-Request-Id: a\r\nx-request-id: b")]
    public void Parse_UnusableRequestId_IsNotKept(string line) =>
        Assert.Equal(-1, Parse("GET / HTTP/1.1\r\nHost: h\r\n" + line + "\r\n\r\n").Head.RequestId);

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
