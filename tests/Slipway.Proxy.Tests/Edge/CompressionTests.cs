using System.IO.Compression;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Slipway.Proxy.Edge;
using Slipway.Proxy.Tests.Support;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.Edge;

/// <summary>Response compression over real sockets: what is compressed, what never is, and streams that still flow.</summary>
public sealed class CompressionTests : IAsyncLifetime
{
    private static readonly string Json = "[" + string.Join(",", Enumerable.Range(0, 300).Select(i => $"{{\"id\":{i},\"name\":\"item {i}\"}}")) + "]";
    private readonly SemaphoreSlim _nextEvent = new(0);
    private TestBackend _backend = null!;
    private ProxyHarness _proxy = null!;

    public async Task InitializeAsync()
    {
        _backend = await TestBackend.StartAsync("api", HandleAsync);
        _proxy = await ProxyHarness.StartAsync(
            Single("api", null, null, _backend.Endpoint()),
            o => o with { Compression = new CompressionOptions { MinBytes = 1024 } });
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _backend.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var response = context.Response;
        switch (context.Request.Path.Value)
        {
            case "/json":
                response.ContentType = "application/json; charset=utf-8";
                response.ContentLength = Encoding.UTF8.GetByteCount(Json);
                response.Headers.ETag = "\"v1\"";
                response.Headers.Vary = "Origin";
                await response.WriteAsync(Json);
                break;
            case "/small":
                response.ContentType = "application/json";
                response.ContentLength = 10;
                await response.WriteAsync("[1,2,3,45]");
                break;
            case "/png":
                response.ContentType = "image/png";
                await response.Body.WriteAsync(new byte[4096]);
                break;
            case "/encoded":
                response.ContentType = "application/json";
                response.Headers.ContentEncoding = "gzip";
                await response.Body.WriteAsync(Gzip(Json));
                break;
            case "/no-transform":
                response.ContentType = "application/json";
                response.Headers.CacheControl = "public, no-transform";
                await response.WriteAsync(Json);
                break;
            case "/range":
                response.StatusCode = 206;
                response.ContentType = "application/json";
                response.Headers.ContentRange = $"bytes 0-1999/{Json.Length}";
                await response.WriteAsync(Json[..2000]);
                break;
            case "/events":
                response.ContentType = "text/event-stream";
                await response.WriteAsync("data: first\n\n");
                await response.Body.FlushAsync();
                await _nextEvent.WaitAsync(TimeSpan.FromSeconds(20));
                await response.WriteAsync("data: second\n\n");
                break;
        }
    }

    private static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? acceptEncoding, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }

        return await _proxy.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private static async Task<string> DecodeAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStreamAsync();
        Stream decoded = response.Content.Headers.ContentEncoding.SingleOrDefault() switch
        {
            "br" => new BrotliStream(body, CompressionMode.Decompress),
            "gzip" => new GZipStream(body, CompressionMode.Decompress),
            null => body,
            var other => throw new InvalidOperationException(other),
        };
        using var reader = new StreamReader(decoded);
        return await reader.ReadToEndAsync();
    }

    [Theory]
    [InlineData("gzip, deflate, br", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("br;q=0.1, gzip;q=0.8", "gzip")]
    public async Task Json_CompressedByWhatTheClientPrefers(string acceptEncoding, string expected)
    {
        using var response = await GetAsync("/json", acceptEncoding);

        Assert.Equal(expected, response.Content.Headers.ContentEncoding.Single());
        Assert.Null(response.Content.Headers.ContentLength);
        Assert.Equal("W/\"v1\"", response.Headers.ETag!.ToString());
        Assert.Equal(["Origin", "Accept-Encoding"], response.Headers.Vary);
        Assert.Equal(Json, await DecodeAsync(response));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("identity")]
    [InlineData("gzip;q=0, br;q=0")]
    public async Task Json_ForAClientThatAcceptsNone_PlainButVaried(string? acceptEncoding)
    {
        using var response = await GetAsync("/json", acceptEncoding);

        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Equal(Json.Length, response.Content.Headers.ContentLength);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.Equal("\"v1\"", response.Headers.ETag!.ToString());
    }

    [Theory]
    [InlineData("/small")]
    [InlineData("/png")]
    [InlineData("/no-transform")]
    [InlineData("/range")]
    public async Task NotCompressed_SmallOtherTypeNoTransformOrPartial(string path)
    {
        using var response = await GetAsync(path, "br, gzip");

        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.DoesNotContain("Accept-Encoding", response.Headers.Vary);
    }

    [Fact]
    public async Task AlreadyEncoded_PassesAsTheBackendSentIt()
    {
        using var response = await GetAsync("/encoded", "br");

        Assert.Equal("gzip", response.Content.Headers.ContentEncoding.Single());
        Assert.Equal(Json, await DecodeAsync(response));
    }

    [Fact]
    public async Task Head_NeverCompressed()
    {
        using var response = await GetAsync("/json", "br, gzip", HttpMethod.Head);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
    }

    [Fact]
    public async Task ServerSentEvents_EachEventArrivesCompressedAsItIsWritten()
    {
        using var response = await GetAsync("/events", "gzip");
        Assert.Equal("gzip", response.Content.Headers.ContentEncoding.Single());
        using var reader = new StreamReader(new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));

        // The backend holds the second event back until the first was read through the proxy.
        Assert.Equal("data: first", await reader.ReadLineAsync(timeout.Token));
        _nextEvent.Release();
        Assert.Equal("", await reader.ReadLineAsync(timeout.Token));
        Assert.Equal("data: second", await reader.ReadLineAsync(timeout.Token));
    }

    [Fact]
    public async Task Http2_CompressedToo()
    {
        using var client = ProxyHarness.CreateClient(_proxy.H2c, HttpVersion.Version20);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/json") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "br");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpVersion.Version20, response.Version);

        Assert.Equal("br", response.Content.Headers.ContentEncoding.Single());
        Assert.Equal(Json, await DecodeAsync(response));
    }
}
