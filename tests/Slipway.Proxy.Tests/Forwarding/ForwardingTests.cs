using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Slipway.Core.Routing;
using Slipway.Proxy.Tests.Support;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.Forwarding;

/// <summary>Headers, bodies and framing through a real proxy to a real backend.</summary>
public sealed class ForwardingTests : IAsyncLifetime
{
    private readonly Dictionary<string, string> _seen = new(StringComparer.OrdinalIgnoreCase);
    private TestBackend _backend = null!;
    private ProxyHarness _proxy = null!;
    private ProxyHarness _general = null!;

    public async Task InitializeAsync()
    {
        _backend = await TestBackend.StartAsync("echo", EchoAsync);
        _proxy = await ProxyHarness.StartAsync(Single("echo", null, null, _backend.Endpoint()));
        _general = await ProxyHarness.StartAsync(Single("echo", null, null, _backend.Endpoint()), engine: "general");
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _general.DisposeAsync();
        await _backend.DisposeAsync();
    }

    private ProxyHarness On(string engine) => engine == "general" ? _general : _proxy;

    /// <summary>Records the request headers; answers per path.</summary>
    private async Task EchoAsync(HttpContext context)
    {
        lock (_seen)
        {
            _seen.Clear();
            foreach (var header in context.Request.Headers)
            {
                _seen[header.Key] = header.Value.ToString();
            }

            _seen["(protocol)"] = context.Request.Protocol;
            _seen["(target)"] = context.Request.Path + context.Request.QueryString;
        }

        switch (context.Request.Path.Value)
        {
            case "/body":
                var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("got " + body.Length + ":" + body);
                break;
            case "/large":
                context.Response.ContentLength = 100 * 1024;
                await context.Response.Body.WriteAsync(new byte[100 * 1024]);
                break;
            case "/length":
                context.Response.ContentLength = 5;
                await context.Response.WriteAsync("12345");
                break;
            case "/chunked":
                await context.Response.WriteAsync("part1");
                await context.Response.Body.FlushAsync();
                await context.Response.WriteAsync("part2");
                break;
            case "/nocontent":
                context.Response.StatusCode = 204;
                break;
            case "/notmodified":
                context.Response.StatusCode = 304;
                context.Response.Headers.ETag = "\"v1\"";
                break;
            case "/reject":
                context.Response.StatusCode = 401;
                break;
            case "/hopbyhop":
                context.Response.Headers["Keep-Alive"] = "timeout=5";
                context.Response.Headers["X-Kept"] = "yes";
                await context.Response.WriteAsync("ok");
                break;
            default:
                context.Response.Headers["X-Backend"] = "echo";
                await context.Response.WriteAsync("hello");
                break;
        }
    }

    private string Seen(string header)
    {
        lock (_seen)
        {
            return _seen.GetValueOrDefault(header) ?? "(absent)";
        }
    }

    [Fact]
    public async Task Get_PlainRequest_ForwardsStatusHeadersAndBody()
    {
        using var response = await _proxy.Client.GetAsync("/hello?x=1&y=%2F");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello", await response.Content.ReadAsStringAsync());
        Assert.Equal("echo", response.Headers.GetValues("X-Backend").Single());
        Assert.Equal("/hello?x=1&y=%2F", Seen("(target)"));
        Assert.Equal("HTTP/1.1", Seen("(protocol)"));
    }

    [Fact]
    public async Task Get_ForwardedHeaders_AreSetForTheBackend()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "shop.example.com";
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.9");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
        using var response = await _proxy.Client.SendAsync(request);

        // No trusted proxies: the client's own X-Forwarded-* claims are replaced, not extended.
        Assert.Equal("shop.example.com", Seen("Host"));
        Assert.Equal("127.0.0.1", Seen("X-Forwarded-For"));
        Assert.Equal("127.0.0.1", Seen("X-Real-IP"));
        Assert.Equal("http", Seen("X-Forwarded-Proto"));
        Assert.Equal("shop.example.com", Seen("X-Forwarded-Host"));
    }

    [Fact]
    public async Task Get_NoRequestId_OneIsGeneratedSentAndReturned()
    {
        using var response = await _proxy.Client.GetAsync("/");

        var returned = response.Headers.GetValues("X-Request-Id").Single();
        Assert.Equal(24, returned.Length);
        Assert.Equal(returned, Seen("X-Request-Id"));
    }

    [Fact]
    public async Task Get_ClientRequestIdAndTraceparent_ArePassedThrough()
    {
        const string Traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Request-Id", "abc-123");
        request.Headers.Add("traceparent", Traceparent);
        using var response = await _proxy.Client.SendAsync(request);

        Assert.Equal("abc-123", Seen("X-Request-Id"));
        Assert.Equal("abc-123", response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal(Traceparent, Seen("traceparent"));
    }

    [Theory]
    [InlineData("shop.example.com:8443")]
    [InlineData("[::1]:8080")]
    [InlineData("under_score.test")]
    [InlineData("xn--bcher-kva.example")]
    [InlineData("10.0.0.7")]
    public async Task Get_ClientsHost_ReachesTheBackendExactly(string host)
    {
        await using var raw = await RawHttp.ConnectAsync(_proxy.Port);
        await raw.SendAsync($"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n");
        var answer = await raw.ReadUntilAsync("hello");

        Assert.StartsWith("HTTP/1.1 200", answer, StringComparison.Ordinal);
        Assert.Equal(host, Seen("Host"));
        Assert.Equal(host, Seen("X-Forwarded-Host"));
    }

    [Fact]
    public async Task Get_PreserveHostOff_SendsTheEndpointAuthority()
    {
        await using var proxy = await ProxyHarness.StartAsync(
            Single("echo", ServicePolicy.Default with { PreserveHost = false }, null, _backend.Endpoint()));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "shop.example.com";
        using var response = await proxy.Client.SendAsync(request);

        Assert.Equal($"127.0.0.1:{_backend.Port}", Seen("Host"));
        Assert.Equal("shop.example.com", Seen("X-Forwarded-Host"));
    }

    [Fact]
    public async Task Request_HopByHopHeaders_AreNotForwarded()
    {
        await using var raw = await RawHttp.ConnectAsync(_proxy.Port);
        await raw.SendAsync(
            "GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n" +
            "TE: trailers\r\nProxy-Authorization: Basic eA==\r\nProxy-Connection: keep-alive\r\nX-Ordinary: kept\r\n\r\n");
        var answer = await raw.ReadUntilAsync("hello");

        Assert.StartsWith("HTTP/1.1 200", answer, StringComparison.Ordinal);
        Assert.Equal("kept", Seen("X-Ordinary"));
        foreach (var dropped in new[] { "Connection", "Keep-Alive", "TE", "Proxy-Authorization", "Proxy-Connection" })
        {
            Assert.Equal("(absent)", Seen(dropped));
        }
    }

    [Fact]
    public async Task Response_HopByHopHeaders_AreNotReturned()
    {
        using var response = await _proxy.Client.GetAsync("/hopbyhop");

        Assert.False(response.Headers.Contains("Keep-Alive"));
        Assert.Equal("yes", response.Headers.GetValues("X-Kept").Single());
    }

    [Theory]
    [MemberData(nameof(ProxyHarness.Engines), MemberType = typeof(ProxyHarness))]
    public async Task Post_ContentLength_ArrivesWithContentLength(string engine)
    {
        using var response = await On(engine).Client.PostAsync("/body", new StringContent("abc", Encoding.UTF8, "text/plain"));

        Assert.Equal("got 3:abc", await response.Content.ReadAsStringAsync());
        Assert.Equal("3", Seen("Content-Length"));
        Assert.Equal("(absent)", Seen("Transfer-Encoding"));
        Assert.StartsWith("text/plain", Seen("Content-Type"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ProxyHarness.Engines), MemberType = typeof(ProxyHarness))]
    public async Task Post_RawContentLength_ArrivesWithItsContentFields(string engine)
    {
        var proxy = On(engine);
        await using var raw = await RawHttp.ConnectAsync(proxy.Port);
        await raw.SendAsync("POST /body HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain\r\nContent-Language: en\r\nContent-Length: 5\r\n\r\nhello");
        var answer = await raw.ReadUntilAsync("got 5:hello");
        var seen = (Seen("Content-Length"), Seen("Content-Type"), Seen("Content-Language"));
        await raw.SendAsync("GET /length HTTP/1.1\r\nHost: h\r\n\r\n");
        var next = await raw.ReadUntilAsync("\r\n\r\n12345");

        Assert.Contains("got 5:hello", answer, StringComparison.Ordinal);
        Assert.EndsWith("12345", next, StringComparison.Ordinal);
        Assert.Equal(("5", "text/plain", "en"), seen);
        Assert.Equal(engine == "auto" ? 2 : 0, proxy.Proxy.Counters.FastPath);
        Assert.Contains(proxy.Sink.Samples, s => s.RequestBytes == 5);
    }

    [Theory]
    [MemberData(nameof(ProxyHarness.Engines), MemberType = typeof(ProxyHarness))]
    public async Task Post_Chunked_ArrivesChunked(string engine)
    {
        var proxy = On(engine);
        await using var raw = await RawHttp.ConnectAsync(proxy.Port);
        await raw.SendAsync("POST /body HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
        var answer = await raw.ReadUntilAsync("got 5:abcde");

        Assert.Contains("got 5:abcde", answer, StringComparison.Ordinal);
        Assert.Equal("chunked", Seen("Transfer-Encoding"));
        Assert.Equal("(absent)", Seen("Content-Length"));
        Assert.Equal(engine == "auto" ? 1 : 0, proxy.Proxy.Counters.FastPath);
    }

    [Fact]
    public async Task Response_ContentLengthOrChunked_FramingIsPreserved()
    {
        await using var raw = await RawHttp.ConnectAsync(_proxy.Port);
        await raw.SendAsync("GET /length HTTP/1.1\r\nHost: h\r\n\r\n");
        var fixedLength = await raw.ReadUntilAsync("\r\n\r\n12345");
        await raw.SendAsync("GET /chunked HTTP/1.1\r\nHost: h\r\n\r\n");
        var chunked = await raw.ReadUntilAsync("0\r\n\r\n");

        Assert.Contains("Content-Length: 5", fixedLength, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Transfer-Encoding: chunked", chunked, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("part1", chunked, StringComparison.Ordinal);
        Assert.Contains("part2", chunked, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_LargeBodiesOnAKeptAliveConnection_ArriveWhole()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(100 * 1024, (await _proxy.Client.GetByteArrayAsync("/large")).Length);
        }
    }

    [Fact]
    public async Task Head_Request_HasHeadersAndNoBody()
    {
        await using var raw = await RawHttp.ConnectAsync(_proxy.Port);
        await raw.SendAsync("HEAD /length HTTP/1.1\r\nHost: h\r\n\r\nGET /nocontent HTTP/1.1\r\nHost: h\r\n\r\n");
        var answer = await raw.ReadUntilAsync("HTTP/1.1 204");

        // The HEAD answer keeps its Content-Length and carries no body: the next bytes are the 204.
        var head = answer[..answer.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        Assert.Contains("Content-Length: 5", head, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("HTTP/1.1 204", answer[(head.Length + 4)..], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/nocontent", HttpStatusCode.NoContent)]
    [InlineData("/notmodified", HttpStatusCode.NotModified)]
    public async Task Get_204Or304_ComesBackWithoutBody(string path, HttpStatusCode expected)
    {
        using var response = await _proxy.Client.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [MemberData(nameof(ProxyHarness.Engines), MemberType = typeof(ProxyHarness))]
    public async Task ExpectContinue_BackendReadsBody_ClientGets100ThenTheAnswer(string engine)
    {
        await using var raw = await RawHttp.ConnectAsync(On(engine).Port);
        await raw.SendAsync("POST /body HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
        var interim = await raw.ReadHeadAsync();
        await raw.SendAsync("ping");
        var final = await raw.ReadUntilAsync("ping");

        Assert.StartsWith("HTTP/1.1 100 Continue", interim, StringComparison.Ordinal);
        Assert.Contains("got 4:ping", final, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ProxyHarness.Engines), MemberType = typeof(ProxyHarness))]
    public async Task ExpectContinue_BackendRefuses_ClientGetsTheRefusalWithout100(string engine)
    {
        await using var raw = await RawHttp.ConnectAsync(On(engine).Port);
        // Large enough that the backend client does not send it anyway (it does below 1 KB to keep the connection).
        await raw.SendAsync("POST /reject HTTP/1.1\r\nHost: h\r\nContent-Length: 100000\r\nExpect: 100-continue\r\n\r\n");
        var answer = await raw.ReadHeadAsync();

        Assert.StartsWith("HTTP/1.1 401", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_OverH2c_ReachesAnHttp11Backend()
    {
        using var client = ProxyHarness.CreateClient(_proxy.H2c, HttpVersion.Version20);
        using var response = await client.PostAsync("/body", new StringContent("over h2"));

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("got 7:over h2", await response.Content.ReadAsStringAsync());
        Assert.Equal("HTTP/1.1", Seen("(protocol)"));
    }

    [Fact]
    public async Task Get_EveryRequest_RecordsASampleWithTableStrings()
    {
        using var response = await _proxy.Client.GetAsync("/length");

        var sample = Assert.Single(_proxy.Sink.Samples);
        Assert.Equal(("echo", "v1", "echo#0", "echo", 200, 5L, false), (sample.Service, sample.Revision, sample.Route, sample.EndpointId, sample.StatusCode, sample.ResponseBytes, sample.ProxyFailure));
    }
}
