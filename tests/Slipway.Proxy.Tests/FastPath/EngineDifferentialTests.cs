using Slipway.Proxy.Tests.Support;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.FastPath;

/// <summary>
/// The same requests, valid and malformed, sent to a proxy on each engine in front of one backend: both answer with
/// the same status and forward the same request (header names compared without case, as HTTP defines them), or
/// forward nothing. Seeded with the known smuggling shapes, then generated ones (a third of them with a body, by
/// length or in chunks cut at random, now and then with trailers, extensions or a leading zero). Each over a plain
/// listener and over an HTTPS one (TLS on both engines: the fast path then reads the decrypted pipe).
/// </summary>
public sealed class EngineDifferentialTests : IAsyncLifetime
{
    private readonly Dictionary<(string Engine, string Transport), ProxyHarness> _proxies = [];
    private RawBackend _backend = null!;

    public static TheoryData<string, string> Known => Over(Shapes);

    private static string[] Shapes =>
    [
        "GET / HTTP/1.1\r\nHost: shop.example\r\n\r\n",
        "GET /a/b?x=1&y=%20 HTTP/1.1\r\nHost: shop.example:8080\r\nUser-Agent: t\r\nAccept: */*\r\nCookie: a=1; b=2\r\n\r\n",
        "HEAD /h HTTP/1.1\r\nhost: h\r\naccept-language: en\r\nX-Custom:   padded   \r\n\r\n",
        "DELETE /d HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\nKeep-Alive: 5\r\nTE: trailers\r\nProxy-Connection: x\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 6.6.6.6\r\nX-Forwarded-Host: evil\r\nX-Forwarded-Proto: https\r\nX-Real-IP: 6.6.6.6\r\nForwarded: for=6.6.6.6\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nX-Request-Id: <script>\r\n\r\n",
        "OPTIONS /o HTTP/1.1\r\nHost: h\r\nX-Request-Id: client-id-1\r\n\r\n",
        "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nok",
        "POST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
        // CL.TE and TE.CL
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n5c\r\nGPOST / HTTP/1.1\r\n\r\n0\r\n\r\n",
        // TE.TE obfuscations
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-encoding: identity\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding:\tchunked\r\n\r\n0\r\n\r\n",
        // chunk-size overflow
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff1\r\nx\r\n0\r\n\r\n",
        // duplicate Content-Length
        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc",
        // folding, NUL, bare CR and LF, space before colon
        "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n folded\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\0b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\rX-B: 2\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\nX-B: 2\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nX-A : 1\r\n\r\n",
        "GET / HTTP/1.1\nHost: h\n\n",
        // no Host, two Hosts, a bad Host
        "GET / HTTP/1.1\r\nX-A: 1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nHost: i\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h h\r\n\r\n",
        // bodies: Content-Length with the fields that describe it, chunked in several chunks, an odd coding case, a
        // body on a GET, content fields without a body
        "POST /p HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Encoding: identity\r\nContent-Length: 7\r\n\r\n{\"a\":1}",
        "PUT /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
        "PATCH /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
        "GET /g HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nok",
        "DELETE /d HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST /p HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n\r\n",
        "POST /p HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain\r\n\r\n",
        // Content-Length spelled oddly
        "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: +2\r\n\r\nok",
        "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 002\r\n\r\nok",
        "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 2, 2\r\n\r\nok",
        "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 0x2\r\n\r\nok",
        // chunk sizes and extensions: leading zeros, upper case, whitespace, a valid extension, a bare LF in one,
        // a size line that never ends in CRLF, data longer than its size, a second overflow
        "POST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n002\r\nok\r\n000\r\n\r\n",
        "POST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n",
        "POST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2 \r\nok\r\n0\r\n\r\n",
        "POST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2;name=value\r\nok\r\n0\r\n\r\n",
        "POST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2;a\nb\r\nok\r\n0\r\n\r\n",
        "POST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\nok\r\n0\r\n\r\n",
        "POST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokX\r\n0\r\n\r\n",
        "POST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n100000000\r\nx\r\n0\r\n\r\n",
        "POST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n-2\r\nok\r\n0\r\n\r\n",
        // trailers, and framing fields smuggled in them
        "POST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nX-Sum: 1\r\n\r\n",
        "POST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nContent-Length: 50\r\n\r\n",
        // Kestrel's re-framing marker sent by the client
        "POST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nX-Content-Length: 5\r\n\r\n2\r\nok\r\n0\r\n\r\n",
        // over-long header section
        "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + new string('a', 40_000) + "\r\n\r\n",
    ];

    private static TheoryData<string, string> Over(string[] requests)
    {
        var data = new TheoryData<string, string>();
        foreach (var transport in (string[])["http", "https"])
        {
            foreach (var request in requests)
            {
                data.Add(transport, request);
            }
        }

        return data;
    }

    public Task InitializeAsync()
    {
        _backend = RawBackend.StartOk();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var proxy in _proxies.Values)
        {
            await proxy.DisposeAsync();
        }

        await _backend.DisposeAsync();
    }

    /// <summary>The proxy on <paramref name="engine"/> with its HTTP/1.1 listener over <paramref name="transport"/>, started on first use.</summary>
    private async Task<ProxyHarness> ProxyAsync(string engine, string transport)
    {
        if (!_proxies.TryGetValue((engine, transport), out var proxy))
        {
            proxy = await ProxyHarness.StartAsync(Single("api", null, null, _backend.Endpoint()), engine: engine, transport: transport);
            _proxies[(engine, transport)] = proxy;
        }

        return proxy;
    }

    [Theory]
    [MemberData(nameof(Known))]
    public async Task Request_KnownShape_SameAnswerAndSameForwardedRequestOnBothEngines(string transport, string request)
    {
        var auto = await SendAsync(await ProxyAsync("auto", transport), request);
        var general = await SendAsync(await ProxyAsync("general", transport), request);

        Assert.Equal(general.Status, auto.Status);
        Assert.Equal(general.Forwarded, auto.Forwarded);
    }

    [Theory]
    [MemberData(nameof(ProxyHarness.Transports), MemberType = typeof(ProxyHarness))]
    public async Task Request_PreserveHostOff_SameForwardedRequestOnBothEngines(string transport)
    {
        var table = Single("api", Core.Routing.ServicePolicy.Default with { PreserveHost = false }, null, _backend.Endpoint());
        await using var auto = await ProxyHarness.StartAsync(table, engine: "auto", transport: transport);
        await using var general = await ProxyHarness.StartAsync(table, engine: "general", transport: transport);
        const string Request = "GET /p HTTP/1.1\r\nAccept: a\r\nHost: shop.example\r\nX-Request-Id: fixed\r\n\r\n";

        var fromAuto = await SendAsync(auto, Request);
        var fromGeneral = await SendAsync(general, Request);

        Assert.Equal(fromGeneral, fromAuto);
        Assert.Equal(1, auto.Proxy.Counters.FastPath);
    }

    [Theory]
    [MemberData(nameof(ProxyHarness.Transports), MemberType = typeof(ProxyHarness))]
    public async Task Request_Generated_SameAnswerAndSameForwardedRequestOnBothEngines(string transport)
    {
        var random = new Random(23);
        var autoProxy = await ProxyAsync("auto", transport);
        var generalProxy = await ProxyAsync("general", transport);
        var fast = autoProxy.Proxy.Counters.FastPath;
        for (var i = 0; i < 200; i++)
        {
            var request = Generate(random);
            var auto = await SendAsync(autoProxy, request);
            var general = await SendAsync(generalProxy, request);

            Assert.True(general.Status == auto.Status, $"status {auto.Status} against {general.Status} for {request}");
            Assert.True(general.Forwarded == auto.Forwarded, $"forwarded\n{auto.Forwarded}\nagainst\n{general.Forwarded}\nfor {request}");
        }

        Assert.True(autoProxy.Proxy.Counters.FastPath - fast > 50, "too few generated requests took the fast path to compare anything");
    }

    /// <summary>A request line and headers from pieces that are valid (mostly) or odd or malformed.</summary>
    private static string Generate(Random random)
    {
        string[] methods = ["GET", "HEAD", "DELETE", "OPTIONS", "PUT", "POST", "PATCH"];
        string[] oddMethods = ["get", "GET ", "BREW", "G\0T"];
        string[] targets = ["/", "/a/b", "/a?x=1", "/a//b", "/q?x=%41&y=[1]", "/~user/x.y"];
        string[] oddTargets = ["/a%20b", "/a/./b", "/a/../b", "/\u00e9", "*", "http://h/x", "/a b"];
        string[] headers =
        [
            "Accept: */*", "accept: text/html", "User-Agent: gen", "X-Trace: 1", "Cookie: a=b", "Connection: close",
            "Connection: keep-alive", "TE: trailers", "Keep-Alive: 1", "X-Forwarded-For: 1.1.1.1", "X-Request-Id: gen-1",
            "X-Empty:", "X-Tab:\tv", "Cache-Control: no-cache", "If-None-Match: \"x\"", "Authorization: Bearer t",
        ];
        string[] oddHeaders =
        [
            "Connection: Upgrade", "Upgrade: h2c", "Content-Length: 0", "Transfer-Encoding: chunked", "X-Obs: \u00e9",
            "X-Fold: a\r\n b", "Bad Header: x", "X-Nul: \0", "X-Bare: a\rb", "X-Bare: a\nb", "Expect: 100-continue",
            "Content-Type: text/plain", "Host: second",
        ];
        string Pick(string[] usual, string[] odd) => random.Next(5) == 0 ? odd[random.Next(odd.Length)] : usual[random.Next(usual.Length)];

        var text = new System.Text.StringBuilder();
        text.Append(Pick(methods, oddMethods)).Append(' ').Append(Pick(targets, oddTargets)).Append(" HTTP/1.1\r\n");
        if (random.Next(10) > 0)
        {
            text.Append("Host: h\r\n");
        }

        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = random.Next(5); i > 0; i--)
        {
            var header = Pick(headers, oddHeaders);
            if (used.Add(header.Split(':')[0]) || random.Next(3) == 0)
            {
                text.Append(header).Append("\r\n");
            }
        }

        var head = text.ToString();
        if (!head.Contains("Content-Length", StringComparison.Ordinal) && !head.Contains("Transfer-Encoding", StringComparison.Ordinal) && random.Next(3) == 0)
        {
            return head + Body(random);
        }

        var request = text.Append("\r\n").ToString();
        return request.Contains("chunked", StringComparison.Ordinal) ? request + "0\r\n\r\n" : request;
    }

    /// <summary>The end of a head and a body: by length or in chunks cut at random, now and then framed oddly.</summary>
    private static string Body(Random random)
    {
        var data = new string((char)('a' + random.Next(26)), random.Next(1, 300));
        var chunks = new System.Text.StringBuilder();
        for (var at = 0; at < data.Length;)
        {
            var size = Math.Min(data.Length - at, random.Next(1, 120));
            chunks.Append(size.ToString("x", System.Globalization.CultureInfo.InvariantCulture)).Append("\r\n").Append(data, at, size).Append("\r\n");
            at += size;
        }

        return random.Next(6) switch
        {
            0 => $"Content-Type: text/plain\r\nContent-Length: {data.Length}\r\n\r\n{data}",
            1 => $"Transfer-Encoding: chunked\r\n\r\n{chunks}0\r\n\r\n",
            2 => $"Transfer-Encoding: chunked\r\n\r\n{chunks}0\r\nX-Trailer: t\r\n\r\n",
            3 => $"Transfer-Encoding: chunked\r\n\r\n{chunks.ToString().Replace("\r\n", ";e=1\r\n", StringComparison.Ordinal)}0\r\n\r\n",
            4 => $"Transfer-Encoding: chunked\r\n\r\n0{chunks}0\r\n\r\n",
            _ => $"Content-Length: {data.Length}\r\n\r\n{data}",
        };
    }

    private async Task<(string Status, string Forwarded)> SendAsync(ProxyHarness proxy, string request)
    {
        var before = _backend.Requests.Count;
        await using var raw = await proxy.ConnectAsync();
        await raw.SendAsync(request);
        var answer = await raw.ReadUntilAsync("\r\n\r\n");
        if (answer.Contains("Content-Length: 2\r\n", StringComparison.Ordinal) && !request.StartsWith("HEAD", StringComparison.Ordinal)
            && !answer.EndsWith("\r\n\r\nok", StringComparison.Ordinal))
        {
            answer += await raw.ReadUntilAsync("ok");
        }

        var status = answer.Split("\r\n")[0];
        var forwarded = string.Join("\n---\n", _backend.Requests.Skip(before).Select(Normalize));
        return (status, forwarded);
    }

    /// <summary>
    /// Header names lower-cased and the lines sorted: the engines spell known names differently, and the general path
    /// sends them in Kestrel's order of known headers, the fast path in the client's (the order of different fields
    /// carries no meaning, RFC 9110 §5.3). The generated request id is masked.
    /// </summary>
    private static string Normalize(string request)
    {
        var end = request.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var body = request[(end + 4)..];
        if (request[..end].Contains("\r\ntransfer-encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            // Where chunks begin and end is the sender's choice (RFC 9112 §7.1); the payload and trailers are not.
            body = Dechunk(body);
        }

        var lines = request[..end].Split("\r\n");
        var headers = lines.Skip(1).Select(line =>
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = line[..colon].ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            return name == "x-request-id" && value.Length == 24 ? name + ": *" : name + ": " + value;
        }).Order(StringComparer.Ordinal);
        return string.Join("\n", [lines[0], .. headers]) + "\n" + body;
    }

    private static string Dechunk(string body)
    {
        var payload = new System.Text.StringBuilder();
        var position = 0;
        while (true)
        {
            var lineEnd = body.IndexOf("\r\n", position, StringComparison.Ordinal);
            if (lineEnd < 0 || !int.TryParse(body[position..lineEnd], System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var size))
            {
                return "(not chunked) " + body;
            }

            if (size == 0)
            {
                return payload.Append(" | trailers: ").Append(body[(lineEnd + 2)..]).ToString();
            }

            payload.Append(body, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }
    }
}
