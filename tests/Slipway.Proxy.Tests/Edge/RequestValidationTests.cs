using Slipway.Proxy.Tests.Support;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.Edge;

/// <summary>Malformed and smuggling-shaped requests are refused at the edge and never reach a backend.</summary>
public sealed class RequestValidationTests : IAsyncLifetime
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _paths = new();
    private TestBackend _backend = null!;
    private ProxyHarness _proxy = null!;

    public async Task InitializeAsync()
    {
        _backend = await TestBackend.StartAsync("api", context =>
        {
            _paths.Enqueue(context.Request.Path + " cl=" + context.Request.ContentLength);
            return Task.CompletedTask;
        });
        _proxy = await ProxyHarness.StartAsync(Single("api", null, null, _backend.Endpoint()));
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _backend.DisposeAsync();
    }

    private async Task<string> SendRawAsync(string request)
    {
        await using var raw = await RawHttp.ConnectAsync(_proxy.Port);
        await raw.SendAsync(request);
        return await raw.ReadHeadAsync();
    }

    [Theory]
    [InlineData("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: h\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: h\r\n\r\n")]
    [InlineData("POST / HTTP/1.0\r\nHost: h\r\nContent-Length: 48\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: h\r\n\r\n")]
    public async Task ContentLengthAndTransferEncoding_Together_AreRefusedWith400AndNeverForwarded(string request)
    {
        await using var raw = await RawHttp.ConnectAsync(_proxy.Port);
        await raw.SendAsync(request);
        var answer = await raw.ReadUntilAsync("together\n");

        Assert.Matches("^HTTP/1.[01] 400", answer);
        Assert.Contains("Connection: close", answer, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Content-Length and Transfer-Encoding together", answer, StringComparison.Ordinal);
        Assert.Equal(0, _backend.Requests);
        Assert.Empty(_paths);
    }

    [Fact]
    public async Task ContentLengthAndTransferEncoding_WithTheClientsOwnXContentLength_NeverReachABackend()
    {
        // Kestrel cannot move Content-Length to X-Content-Length when the client already sent one;
        // it drops the connection without an answer. Either way nothing is forwarded.
        var answer = await SendRawAsync(
            "POST / HTTP/1.1\r\nHost: h\r\nX-Content-Length: 7\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");

        Assert.DoesNotMatch("^HTTP/1.1 [23]", answer);
        Assert.Equal(0, _backend.Requests);
    }

    [Theory]
    [InlineData("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 10\r\n\r\nabc")]
    [InlineData("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 10\r\n\r\nabc")]
    [InlineData("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\nContent-Length: 10\r\n\r\n0\r\n\r\n")]
    public async Task ConflictingDuplicateContentLength_IsRefused(string request)
    {
        var answer = await SendRawAsync(request);

        Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
        Assert.Equal(0, _backend.Requests);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nX-Evil: a\rInjected: b\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nX-Evil: a\nInjected: b\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nX-Folded: a\r\n b\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nX-Nul: a\0b\r\n\r\n")]
    public async Task ControlCharactersInHeaders_AreRefused(string request)
    {
        var answer = await SendRawAsync(request);

        Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
        Assert.Equal(0, _backend.Requests);
    }

    [Theory]
    [InlineData("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, identity\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1_0\r\n\r\n")]
    public async Task UnusableFraming_IsRefused(string request)
    {
        var answer = await SendRawAsync(request);

        Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
        Assert.Equal(0, _backend.Requests);
    }

    [Fact]
    public async Task OverlongHeaderSection_IsRefusedWith431()
    {
        var answer = await SendRawAsync("GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + new string('a', 40 * 1024) + "\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 431", answer, StringComparison.Ordinal);
        Assert.Equal(0, _backend.Requests);
    }

    [Fact]
    public async Task TooManyHeaderFields_AreRefusedWith431()
    {
        var fields = string.Concat(Enumerable.Range(0, 120).Select(i => $"X-F{i}: v\r\n"));

        var answer = await SendRawAsync("GET / HTTP/1.1\r\nHost: h\r\n" + fields + "\r\n");

        Assert.StartsWith("HTTP/1.1 431", answer, StringComparison.Ordinal);
        Assert.Equal(0, _backend.Requests);
    }

    [Fact]
    public async Task OverlongHeaderSection_OverHttp2_IsRefusedAndNeverForwarded()
    {
        using var client = ProxyHarness.CreateClient(_proxy.H2c, System.Net.HttpVersion.Version20);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.TryAddWithoutValidation("X-Big", new string('a', 40 * 1024));

        using var response = await client.SendAsync(request);

        // Kestrel's HTTP/2 decoder refuses the stream with 400 rather than 431 (measured).
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, _backend.Requests);
    }

    [Fact]
    public async Task WellFormedRequest_AfterTheChecks_StillPasses()
    {
        var answer = await SendRawAsync("GET / HTTP/1.1\r\nHost: h\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200", answer, StringComparison.Ordinal);
        Assert.Equal(1, _backend.Requests);
    }
}
