using System.Net;
using Slipway.Core.Routing;
using Slipway.Proxy.Tests.Support;
using Slipway.Testing;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.FastPath;

/// <summary>A misbehaving backend behind the fast path: handled as the general path handles it, its connection never reused.</summary>
public sealed class FastPathBackendTests
{
    private static async Task<(string First, string Second, RawBackend Backend, ProxyHarness Proxy)> TwoRequestsAsync(
        Func<string, RawAnswer> answer, string transport, string method = "GET", string engine = "auto")
    {
        var backend = RawBackend.Start(answer);
        var proxy = await ProxyHarness.StartAsync(Single("api", null, null, backend.Endpoint()), engine: engine, transport: transport);
        string first;
        await using (var raw = await proxy.ConnectAsync())
        {
            await raw.SendAsync($"{method} /first HTTP/1.1\r\nHost: h\r\n\r\n");
            first = await raw.ReadUntilAsync("\r\n\r\nok");
        }

        await using var again = await proxy.ConnectAsync();
        await again.SendAsync("GET /second HTTP/1.1\r\nHost: h\r\n\r\n");
        var second = await again.ReadUntilAsync("\r\n\r\nok");
        return (first, second, backend, proxy);
    }

    private static RawAnswer FirstThenOk(string head, string first, bool close = false) =>
        head.Contains("/first", StringComparison.Ordinal) ? RawAnswer.Of(first, close) : RawAnswer.Of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");

    /// <remarks>
    /// The proxy's own abort of the client's connection also reports the client as gone, whenever the transport gets
    /// to it: the sample must keep the 502 either way, on both engines alike.
    /// </remarks>
    [Theory]
    [MemberData(nameof(ProxyHarness.EnginesAndTransports), MemberType = typeof(ProxyHarness))]
    public async Task Backend_ClosesMidBody_CutsTheClientAndDropsTheConnection(string engine, string transport)
    {
        var (first, second, backend, proxy) = await TwoRequestsAsync(
            h => FirstThenOk(h, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", close: true), transport, engine: engine);
        await using var _ = backend;
        await using var __ = proxy;

        // The cut may reach the client before the bytes do: never a complete response, whatever arrived.
        Assert.DoesNotContain("abc", first.Replace("\r\n\r\nabc", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.False(first.Length > 0 && !first.StartsWith("HTTP/1.1 200 OK", StringComparison.Ordinal), first);
        Assert.EndsWith("\r\n\r\nok", second, StringComparison.Ordinal);
        Assert.Equal(2, backend.Connections);
        await Wait.UntilAsync(() => proxy.Sink.Samples.Count() == 2, "both requests to be recorded", seconds: 10);
        var broken = Assert.Single(proxy.Sink.Samples, s => s.StatusCode != 200);
        Assert.Equal((502, true), (broken.StatusCode, broken.ProxyFailure));
    }

    /// <remarks>
    /// Once the backend's status line went out, the proxy can no longer answer 502 (the general path's
    /// <c>HasStarted</c> branch, the fast path's <c>BrokeOff</c>): both engines cut the client's connection, so the client
    /// sees an unfinished response end, never a second status line after it, and the sample keeps the 502. Content-Length
    /// and chunked bodies the backend closes on, and one it stalls past the route's idle timeout.
    /// </remarks>
    [Theory]
    [InlineData("auto", "length")]
    [InlineData("general", "length")]
    [InlineData("auto", "chunked")]
    [InlineData("general", "chunked")]
    [InlineData("auto", "stalls")]
    [InlineData("general", "stalls")]
    public async Task Backend_BreaksOffAfterTheHead_TheClientIsCutWithoutA502(string engine, string breakOff)
    {
        var answer = breakOff switch
        {
            "length" => RawAnswer.Of("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", close: true),
            "chunked" => RawAnswer.Of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n", close: true),
            _ => RawAnswer.Of("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"),
        };
        var backend = RawBackend.Start(_ => answer);
        await using var _ = backend;
        var route = RoutePolicy.Default with { IdleTimeout = TimeSpan.FromMilliseconds(300) };
        await using var proxy = await ProxyHarness.StartAsync(Single("api", null, route, backend.Endpoint()), engine: engine);
        await using var raw = await RawHttp.ConnectAsync(proxy.Port);

        await raw.SendAsync("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        var (text, ended) = await raw.ReadToEndAsync();

        Assert.True(ended, "the proxy left the client's connection open after the backend broke off: " + text);
        // The cut may reach the client before the bytes do; whatever arrived is the 200's beginning and nothing else.
        Assert.False(text.Length > 0 && !text.StartsWith("HTTP/1.1 200 OK\r\n", StringComparison.Ordinal), text);
        Assert.Equal(text.IndexOf("HTTP/1.", StringComparison.Ordinal), text.LastIndexOf("HTTP/1.", StringComparison.Ordinal));
        Assert.DoesNotContain("Bad Gateway", text, StringComparison.Ordinal);
        await Wait.UntilAsync(() => !proxy.Sink.Samples.IsEmpty, "the request to be recorded", seconds: 10);
        var sample = Assert.Single(proxy.Sink.Samples);
        Assert.Equal((502, true), (sample.StatusCode, sample.ProxyFailure));
    }

    /// <remarks>
    /// RFC 9110 §15.3.6: a 205 has no content. Kestrel serving a 205 of its own writes <c>Content-Length: 0</c> and
    /// refuses a body (a write throws, and so does a Content-Length other than 0, which the general path turned into a
    /// 502). Both engines forward a backend's 205 as Kestrel would write it: its head with <c>Content-Length: 0</c>,
    /// nothing of a body the backend should not have sent, at once (a 205 without framing is not waited out to the
    /// backend's close), and the next response on the same client connection right behind it.
    /// </remarks>
    [Theory]
    [InlineData("auto", "Content-Length: 5\r\n\r\nhello")]
    [InlineData("general", "Content-Length: 5\r\n\r\nhello")]
    [InlineData("auto", "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")]
    [InlineData("general", "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")]
    [InlineData("auto", "\r\nhello")]
    [InlineData("general", "\r\nhello")]
    [InlineData("auto", "Content-Length: 0\r\n\r\n")]
    [InlineData("general", "Content-Length: 0\r\n\r\n")]
    public async Task Backend_ResetContent_ComesBackWithoutContentOnBothEngines(string engine, string rest)
    {
        var backend = RawBackend.Start(h => FirstThenOk(h, "HTTP/1.1 205 Reset Content\r\nX-Kept: yes\r\n" + rest));
        await using var _ = backend;
        await using var proxy = await ProxyHarness.StartAsync(Single("api", null, null, backend.Endpoint()), engine: engine);
        await using var raw = await RawHttp.ConnectAsync(proxy.Port);

        await raw.SendAsync("GET /first HTTP/1.1\r\nHost: h\r\n\r\n");
        var first = await raw.ReadHeadAsync();
        await raw.SendAsync("GET /second HTTP/1.1\r\nHost: h\r\n\r\n");
        var both = first + await raw.ReadUntilAsync("\r\n\r\nok");

        Assert.StartsWith("HTTP/1.1 205 Reset Content\r\n", both, StringComparison.Ordinal);
        var head = both[..(both.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)];
        Assert.Contains("\r\nContent-Length: 0\r\n", head, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\r\nX-Kept: yes\r\n", head, StringComparison.Ordinal);
        Assert.DoesNotContain("Transfer-Encoding", head, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", both[head.Length..], StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nok", both, StringComparison.Ordinal);
        Assert.DoesNotContain("hello", both, StringComparison.Ordinal);
        await Wait.UntilAsync(() => proxy.Sink.Samples.Count() == 2, "both requests to be recorded", seconds: 10);
        Assert.Equal([205, 200], proxy.Sink.Samples.Select(s => s.StatusCode));
    }

    [Theory]
    [MemberData(nameof(ProxyHarness.Transports), MemberType = typeof(ProxyHarness))]
    public async Task Backend_BadChunkSize_CutsTheClientAndDropsTheConnection(string transport)
    {
        var (first, second, backend, proxy) = await TwoRequestsAsync(h => FirstThenOk(h, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\nxx\r\n0\r\n\r\n"), transport);
        await using var _ = backend;
        await using var __ = proxy;

        // The cut may reach the client before the bytes do: never the last chunk, whatever arrived.
        Assert.DoesNotContain("\r\n0\r\n\r\n", first, StringComparison.Ordinal);
        Assert.False(first.Length > 0 && !first.StartsWith("HTTP/1.1 200 OK", StringComparison.Ordinal), first);
        Assert.EndsWith("\r\n\r\nok", second, StringComparison.Ordinal);
        Assert.Equal(2, backend.Connections);
    }

    [Theory]
    [MemberData(nameof(ProxyHarness.Transports), MemberType = typeof(ProxyHarness))]
    public async Task Backend_OverLongResponseHead_Answers502(string transport)
    {
        var (first, second, backend, proxy) = await TwoRequestsAsync(h => FirstThenOk(h, "HTTP/1.1 200 OK\r\nX-Big: " + new string('a', 70_000) + "\r\nContent-Length: 2\r\n\r\nok"), transport);
        await using var _ = backend;
        await using var __ = proxy;

        Assert.StartsWith("HTTP/1.1 502 Bad Gateway", first, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nok", second, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ProxyHarness.Transports), MemberType = typeof(ProxyHarness))]
    public async Task Backend_BodyOnAHeadResponse_IsNotForwardedAndTheConnectionIsDropped(string transport)
    {
        var backend = RawBackend.Start(h => h.StartsWith("HEAD", StringComparison.Ordinal)
            ? RawAnswer.Of("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
            : RawAnswer.Of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        await using var _ = backend;
        await using var proxy = await ProxyHarness.StartAsync(Single("api", null, null, backend.Endpoint()), transport: transport);
        await using var raw = await proxy.ConnectAsync();

        await raw.SendAsync("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n");
        var head = await raw.ReadHeadAsync();
        await raw.SendAsync("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        var get = await raw.ReadUntilAsync("\r\n\r\nok");

        Assert.Contains("Content-Length: 5", head, StringComparison.Ordinal);
        Assert.DoesNotContain("hello", head + get, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nok", get, StringComparison.Ordinal);
        Assert.Equal(2, backend.Connections);
    }

    [Theory]
    [MemberData(nameof(ProxyHarness.Transports), MemberType = typeof(ProxyHarness))]
    public async Task Backend_InterimResponses_AreDroppedAndTheFinalOneForwarded(string transport)
    {
        var (first, _, backend, proxy) = await TwoRequestsAsync(h => FirstThenOk(
            h, "HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"), transport);
        await using var __ = backend;
        await using var ___ = proxy;

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", first, StringComparison.Ordinal);
        Assert.DoesNotContain("103", first, StringComparison.Ordinal);
        Assert.Equal(1, backend.Connections);
    }

    [Theory]
    [MemberData(nameof(ProxyHarness.Transports), MemberType = typeof(ProxyHarness))]
    public async Task Backend_KeepsTheConnectionAfterConnectionClose_TheProxyDoesNot(string transport)
    {
        var (first, second, backend, proxy) = await TwoRequestsAsync(h => FirstThenOk(h, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"), transport);
        await using var _ = backend;
        await using var __ = proxy;

        Assert.DoesNotContain("Connection: close", first, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nok", second, StringComparison.Ordinal);
        Assert.Equal(2, backend.Connections);
    }

    [Theory]
    [MemberData(nameof(ProxyHarness.Transports), MemberType = typeof(ProxyHarness))]
    public async Task Backend_CloseDelimitedBody_IsReChunkedForTheClient(string transport)
    {
        var (first, second, backend, proxy) = await TwoRequestsAsync(h => FirstThenOk(h, "HTTP/1.1 200 OK\r\n\r\nuntil-the-end", close: true), transport);
        await using var _ = backend;
        await using var __ = proxy;

        Assert.Contains("Transfer-Encoding: chunked", first, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nD\r\nuntil-the-end\r\n0\r\n\r\n", first, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nok", second, StringComparison.Ordinal);
    }

    /// <remarks>
    /// A chunked body many reads long, written at once (so on a plain client the parts already waiting are joined and
    /// go out together, up to one read's worth): the client gets it re-chunked, and its data byte for byte, in order.
    /// </remarks>
    [Theory]
    [MemberData(nameof(ProxyHarness.Transports), MemberType = typeof(ProxyHarness))]
    public async Task Backend_ChunkedBodyOfManyReads_ArrivesWholeReChunked(string transport)
    {
        var chunks = Enumerable.Range(0, 400).Select(i => new string((char)('a' + (i % 26)), 1 + ((i * 997) % 1500))).ToArray();
        var wire = string.Concat(chunks.Select(c => $"{c.Length:X}\r\n{c}\r\n")) + "0\r\n\r\n";
        var backend = RawBackend.Start(h => h.Contains("/first", StringComparison.Ordinal)
            ? RawAnswer.Of($"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{wire}")
            : RawAnswer.Of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        await using var _ = backend;
        await using var proxy = await ProxyHarness.StartAsync(Single("api", null, null, backend.Endpoint()), transport: transport);
        await using var raw = await proxy.ConnectAsync();

        await raw.SendAsync("GET /first HTTP/1.1\r\nHost: h\r\n\r\n");
        var text = await raw.ReadUntilAsync("\r\n0\r\n\r\n");

        var bodyStart = text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        Assert.Contains("Transfer-Encoding: chunked", text[..bodyStart], StringComparison.Ordinal);
        var data = new System.Text.StringBuilder();
        var at = bodyStart;
        while (true)
        {
            var sizeEnd = text.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = Convert.ToInt32(text[at..sizeEnd], 16);
            if (size == 0)
            {
                Assert.Equal(text.Length, sizeEnd + 4);
                break;
            }

            data.Append(text, sizeEnd + 2, size);
            Assert.Equal("\r\n", text.Substring(sizeEnd + 2 + size, 2));
            at = sizeEnd + 4 + size;
        }

        Assert.Equal(string.Concat(chunks), data.ToString());
    }

    /// <remarks>
    /// A Content-Length body many reads long is received from the backend straight into the client's output, a part
    /// at a time and never past its end: it arrives byte for byte and the connection is reused. Bytes the backend wrote
    /// after the body, in the same write, stay unread in the socket: the pooled connection is found readable when
    /// taken and dropped, so they are neither forwarded nor taken as the next request's answer. On a plain client a
    /// part already waiting is received behind the one before it and both go in one send (the backend writes all at
    /// once here), up to one read's worth: 1 MB is several such joins and flushes in turn.
    /// </remarks>
    [Theory]
    [InlineData("http", false, 300_000)]
    [InlineData("https", false, 300_000)]
    [InlineData("http", true, 300_000)]
    [InlineData("https", true, 300_000)]
    [InlineData("http", true, 1_000_000)]
    public async Task Backend_BodyOfManyReads_ArrivesWholeAndBytesAfterItAreNeverForwarded(string transport, bool strayAfter, int length)
    {
        var body = string.Create(length, 0, static (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('a' + ((i * 7) + (i / 26)) % 26);
            }
        }) + "<end>";
        var stray = strayAfter ? "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nstray" : string.Empty;
        var backend = RawBackend.Start(h => h.Contains("/first", StringComparison.Ordinal)
            ? RawAnswer.Of($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\n\r\n{body}{stray}")
            : RawAnswer.Of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        await using var _ = backend;
        await using var proxy = await ProxyHarness.StartAsync(Single("api", null, null, backend.Endpoint()), transport: transport);
        string first;
        await using (var raw = await proxy.ConnectAsync())
        {
            await raw.SendAsync("GET /first HTTP/1.1\r\nHost: h\r\n\r\n");
            first = await raw.ReadUntilAsync("<end>");
        }

        // Recorded once the relay ended, so the connection is back in the pool before the second request.
        await Wait.UntilAsync(() => !proxy.Sink.Samples.IsEmpty, "the first request to be recorded", seconds: 10);
        await using var again = await proxy.ConnectAsync();
        await again.SendAsync("GET /second HTTP/1.1\r\nHost: h\r\n\r\n");
        var second = await again.ReadUntilAsync("\r\n\r\nok");

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", first, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n" + body, first, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nok", second, StringComparison.Ordinal);
        Assert.DoesNotContain("stray", second, StringComparison.Ordinal);
        Assert.Equal(strayAfter ? 2 : 1, backend.Connections);
    }

    /// <remarks>
    /// The read that ends a Content-Length body asks for one byte more than is left, so it ends short and the readiness
    /// engine counts the backend's socket drained: the next answer on that connection is read once epoll reports it,
    /// with one <c>recv</c>, where a read that ended exactly at the body's end left the socket counted readable and the
    /// next request's first read called a <c>recv</c> that found nothing (one per large answer).
    /// </remarks>
    [Theory]
    [MemberData(nameof(ProxyHarness.Transports), MemberType = typeof(ProxyHarness))]
    public async Task Backend_BodyOfManyReads_TheNextAnswerOnItsConnectionTakesOneRecv(string transport)
    {
        var body = new string('b', 300_000) + "<end>";
        var backend = RawBackend.Start(h => h.Contains("/first", StringComparison.Ordinal)
            ? RawAnswer.Of($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\n\r\n{body}")
            : RawAnswer.Of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        await using var _ = backend;
        await using var proxy = await ProxyHarness.StartAsync(Single("api", null, null, backend.Endpoint()), transport: transport);
        await using var raw = await proxy.ConnectAsync();
        // A first answer, so the large one runs where the connection's requests run from then on (its client's
        // engine thread, whose lane the backend connection moves to once: a fresh registration reads once at once).
        await raw.SendAsync("GET /warm HTTP/1.1\r\nHost: h\r\n\r\n");
        await raw.ReadUntilAsync("\r\n\r\nok");
        await raw.SendAsync("GET /first HTTP/1.1\r\nHost: h\r\n\r\n");
        var first = await raw.ReadUntilAsync("<end>");
        await Wait.UntilAsync(() => proxy.Sink.Samples.Count == 2, "the first request to be recorded", seconds: 10);
        var pooled = Assert.Single(proxy.Proxy.FastPath!.Pools.Idle());
        var callsBefore = pooled.ReceiveCalls;

        await raw.SendAsync("GET /second HTTP/1.1\r\nHost: h\r\n\r\n");
        var second = await raw.ReadUntilAsync("\r\n\r\nok");
        await Wait.UntilAsync(() => proxy.Sink.Samples.Count == 3, "the second request to be recorded", seconds: 10);

        Assert.EndsWith("\r\n\r\n" + body, first, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nok", second, StringComparison.Ordinal);
        Assert.Same(pooled, Assert.Single(proxy.Proxy.FastPath.Pools.Idle()));
        Assert.Equal(callsBefore + 1, pooled.ReceiveCalls);
        Assert.Equal(1, backend.Connections);
    }

    /// <remarks>
    /// The backend's header lines reach the client in its order as <c>Name: value</c>, whatever its spacing (none after
    /// the colon, several, trailing blanks, an empty value), without its hop-by-hop lines and its X-Request-Id, which
    /// the proxy's replaces. Lines already spelled that way are copied in runs; the runs must break exactly at every
    /// line dropped or respelled.
    /// </remarks>
    [Theory]
    [MemberData(nameof(ProxyHarness.Transports), MemberType = typeof(ProxyHarness))]
    public async Task Backend_HeaderLinesSpacedAnyHow_ReachTheClientInOrderAsNameColonSpaceValue(string transport)
    {
        var backend = RawBackend.Start(_ => RawAnswer.Of(
            "HTTP/1.1 200 OK\r\nX-A: 1\r\nX-B:2\r\nConnection: keep-alive\r\nX-C: 3\r\nX-D: 4 \t\r\nKeep-Alive: timeout=5\r\n"
            + "X-E:   5\r\nX-F: 6\r\nX-G: 7\r\nX-Request-Id: theirs\r\nContent-Length: 2\r\nX-H:\r\nX-I: \r\nX-J: a  b\r\n\r\nok"));
        await using var _ = backend;
        await using var proxy = await ProxyHarness.StartAsync(Single("api", null, null, backend.Endpoint()), transport: transport);
        await using var raw = await proxy.ConnectAsync();

        await raw.SendAsync("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        var text = await raw.ReadUntilAsync("\r\n\r\nok");

        var lines = text[..text.IndexOf("\r\n\r\n", StringComparison.Ordinal)].Split("\r\n");
        Assert.Equal("HTTP/1.1 200 OK", lines[0]);
        Assert.Equal(
            ["X-A: 1", "X-B: 2", "X-C: 3", "X-D: 4", "X-E: 5", "X-F: 6", "X-G: 7", "Content-Length: 2", "X-H: ", "X-I: ", "X-J: a  b"],
            lines[1..].Where(l => !l.StartsWith("Date: ", StringComparison.Ordinal) && !l.StartsWith("X-Request-Id: ", StringComparison.Ordinal)));
        Assert.Single(lines, l => l.StartsWith("X-Request-Id: ", StringComparison.Ordinal) && l != "X-Request-Id: theirs");
    }

    /// <remarks>
    /// A backend that writes its head and then its body apart (nginx with <c>sendfile</c>, an application that flushes
    /// its head first): the head reaches the client with the body's first part, in one send, not alone; and a body that
    /// trickles in still reaches the client part by part, each before the backend writes the next. The backend holds
    /// the first part back until the client has seen something or half a second passed, so a proxy that sends the head
    /// alone is caught doing it.
    /// </remarks>
    [Theory]
    [MemberData(nameof(ProxyHarness.Transports), MemberType = typeof(ProxyHarness))]
    public async Task Backend_WritesItsHeadAloneThenTricklesTheBody_TheHeadGoesWithTheFirstPartAndEachPartStreams(string transport)
    {
        var clientSawSomething = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clientSawFirstPart = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var backend = RawBackend.Start(_ => RawAnswer.InParts(
            "HTTP/1.1 200 OK\r\nContent-Length: 22\r\n\r\n",
            (() => Task.WhenAny(clientSawSomething.Task, Task.Delay(TimeSpan.FromMilliseconds(500))), "first-part;"),
            (() => Task.WhenAny(clientSawFirstPart.Task, Task.Delay(TimeSpan.FromSeconds(15))), "second-part")));
        await using var _ = backend;
        await using var proxy = await ProxyHarness.StartAsync(Single("api", null, null, backend.Endpoint()), transport: transport);
        await using var raw = await proxy.ConnectAsync();

        await raw.SendAsync("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        var first = await raw.ReadOnceAsync();
        clientSawSomething.TrySetResult();
        var upToFirstPart = first.Contains("first-part;", StringComparison.Ordinal) ? first : first + await raw.ReadUntilAsync("first-part;");
        clientSawFirstPart.TrySetResult();
        var rest = await raw.ReadUntilAsync("second-part");

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", first, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nfirst-part;", first, StringComparison.Ordinal);
        Assert.DoesNotContain("second-part", upToFirstPart, StringComparison.Ordinal);
        Assert.Equal("second-part", rest);
    }

    /// <remarks>
    /// The fast path holds the body, so it sends it again on a fresh connection to the same endpoint (never to
    /// another one). Fast path only: the general path streams the body, and when the backend's close races with the
    /// reuse (seen once under load) SocketsHttpHandler cannot send it again and the client gets 502.
    /// </remarks>
    [Theory]
    [MemberData(nameof(ProxyHarness.Transports), MemberType = typeof(ProxyHarness))]
    public async Task Backend_ClosesAnIdlePooledConnection_APostGoesWholeOnANewOne(string transport)
    {
        var backend = RawBackend.Start(_ => RawAnswer.Of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", close: true));
        await using var _ = backend;
        await using var proxy = await ProxyHarness.StartAsync(Single("api", ServicePolicy.Default with { MaxAttempts = 1 }, null, backend.Endpoint()), transport: transport);

        for (var i = 0; i < 3; i++)
        {
            await using var raw = await proxy.ConnectAsync();
            await raw.SendAsync($"POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 6\r\n\r\nbody-{i}");
            Assert.EndsWith("\r\n\r\nok", await raw.ReadUntilAsync("\r\n\r\nok"), StringComparison.Ordinal);
        }

        Assert.Equal(3, proxy.Proxy.Counters.FastPath);
        Assert.Equal(3, backend.Connections);
        Assert.Equal(["body-0", "body-1", "body-2"], backend.Requests.Select(r => r[^6..]));
        Assert.All(proxy.Sink.Samples, s => Assert.Equal((200, 6L), (s.StatusCode, s.RequestBytes)));
    }

    [Theory]
    [MemberData(nameof(ProxyHarness.EnginesAndTransports), MemberType = typeof(ProxyHarness))]
    public async Task Backend_ClosesMidBodyOfAPostAnswer_CutsTheClientAndDropsTheConnection(string engine, string transport)
    {
        var backend = RawBackend.Start(h => FirstThenOk(h, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", close: true));
        await using var _ = backend;
        await using var proxy = await ProxyHarness.StartAsync(Single("api", null, null, backend.Endpoint()), engine: engine, transport: transport);
        string first;
        await using (var raw = await proxy.ConnectAsync())
        {
            await raw.SendAsync("POST /first HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n4\r\ndata\r\n0\r\n\r\n");
            first = await raw.ReadUntilAsync("\r\n\r\nok");
        }

        await using var again = await proxy.ConnectAsync();
        await again.SendAsync("GET /second HTTP/1.1\r\nHost: h\r\n\r\n");
        var second = await again.ReadUntilAsync("\r\n\r\nok");

        Assert.False(first.Length > 0 && !first.StartsWith("HTTP/1.1 200 OK", StringComparison.Ordinal), first);
        Assert.DoesNotContain("abc", first.Replace("\r\n\r\nabc", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nok", second, StringComparison.Ordinal);
        Assert.Equal(2, backend.Connections);
        await Wait.UntilAsync(() => proxy.Sink.Samples.Count() == 2, "both requests to be recorded", seconds: 10);
        var broken = Assert.Single(proxy.Sink.Samples, s => s.StatusCode != 200);
        Assert.Equal((502, true, 4L), (broken.StatusCode, broken.ProxyFailure, broken.RequestBytes));
    }

    [Theory]
    [MemberData(nameof(ProxyHarness.Transports), MemberType = typeof(ProxyHarness))]
    public async Task Backend_ClosesAnIdlePooledConnection_TheRequestGoesOnANewOne(string transport)
    {
        // Every answer closes: the pooled connection of the first request is dead when the second comes.
        var backend = RawBackend.Start(_ => RawAnswer.Of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", close: true));
        await using var _ = backend;
        await using var proxy = await ProxyHarness.StartAsync(Single("api", ServicePolicy.Default with { MaxAttempts = 1 }, null, backend.Endpoint()), transport: transport);

        for (var i = 0; i < 3; i++)
        {
            using var response = await proxy.Client.GetAsync("/");
            Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(3, backend.Connections);
        Assert.All(proxy.Sink.Samples, s => Assert.Equal(200, s.StatusCode));
    }

    /// <remarks>
    /// Every pooled connection is one the backend closed after its answer: under load a request takes one at any moment
    /// of that close. The response's first read, started before the request is sent, sees the ones whose close has
    /// arrived (dropped unused); the request that raced a close goes again on a fresh connection. No retry to another
    /// endpoint is allowed (one attempt), so any miss would reach a client.
    /// </remarks>
    [Fact]
    public async Task Backend_ClosesEveryConnectionAfterOneAnswer_UnderLoad_NoRequestFails()
    {
        const int Clients = 8;
        const int RequestsEach = 40;
        var backend = RawBackend.Start(_ => RawAnswer.Of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", close: true));
        await using var _ = backend;
        await using var proxy = await ProxyHarness.StartAsync(Single("api", ServicePolicy.Default with { MaxAttempts = 1 }, null, backend.Endpoint()));

        var answers = await Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
        {
            var statuses = new List<(HttpStatusCode, string)>();
            for (var i = 0; i < RequestsEach; i++)
            {
                using var response = await proxy.Client.GetAsync("/");
                statuses.Add((response.StatusCode, await response.Content.ReadAsStringAsync()));
            }

            return statuses;
        }));

        Assert.All(answers.SelectMany(a => a), a => Assert.Equal((HttpStatusCode.OK, "ok"), a));
        Assert.Equal(Clients * RequestsEach, proxy.Proxy.Counters.FastPath);
        Assert.Equal(Clients * RequestsEach, backend.Requests.Count);
        Assert.Equal(Clients * RequestsEach, backend.Connections);
        Assert.All(proxy.Sink.Samples, s => Assert.Equal((200, false), (s.StatusCode, s.ProxyFailure)));
    }

    /// <remarks>
    /// A backend that writes while the connection is idle (a 408 before it closes, say) must not have those bytes read
    /// as the next request's answer: that connection is dropped unused. Without the check before sending, the client
    /// would get the 408.
    /// </remarks>
    [Fact]
    public async Task Backend_WritesOnAnIdlePooledConnection_TheNextRequestGoesOnAFreshOne()
    {
        var time = TestClock.Create();
        var backend = RawBackend.StartOk();
        await using var _ = backend;
        await using var proxy = await ProxyHarness.StartAsync(
            Single("api", ServicePolicy.Default with { MaxAttempts = 1 }, null, backend.Endpoint()), o => o with { TimeProvider = time });
        using (var first = await proxy.Client.GetAsync("/first"))
        {
            Assert.Equal("ok", await first.Content.ReadAsStringAsync());
        }

        // A backend writes on an idle connection when its keep-alive timer fires: after a while idle (under the pool's 4 s).
        await backend.SayToAllAsync("HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n\r\n");
        time.Advance(TimeSpan.FromSeconds(2));
        using var second = await proxy.Client.GetAsync("/second");

        Assert.Equal((HttpStatusCode.OK, "ok"), (second.StatusCode, await second.Content.ReadAsStringAsync()));
        Assert.Equal(2, backend.Connections);
        Assert.Equal(2, proxy.Proxy.Counters.FastPath);
    }
}
