using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Slipway.Core.Routing;
using Slipway.Proxy.Edge;
using Slipway.Proxy.Tests.Support;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.Static;

/// <summary>A static site served by the edge, over real sockets: files, validators, ranges, SPA, siblings, traversal.</summary>
public sealed class StaticSiteTests : IAsyncLifetime
{
    private const string Index = "<!doctype html><title>app</title>";
    private readonly string _dir = Directory.CreateTempSubdirectory("slipway-static-").FullName;
    private string _root = null!;
    private ProxyHarness _proxy = null!;

    public async Task InitializeAsync()
    {
        _root = Path.Combine(_dir, "site");
        Directory.CreateDirectory(Path.Combine(_root, "assets"));
        Directory.CreateDirectory(Path.Combine(_root, "docs"));
        File.WriteAllText(Path.Combine(_root, "index.html"), Index);
        File.WriteAllText(Path.Combine(_root, "docs", "index.html"), "docs");
        File.WriteAllText(Path.Combine(_root, "assets", "app.3f2a9c1b.js"), "console.log(1)");
        File.WriteAllText(Path.Combine(_root, "assets", "style.css"), "body{}");
        File.WriteAllBytes(Path.Combine(_root, "assets", "data.bin"), [.. Enumerable.Range(0, 100).Select(i => (byte)i)]);
        File.WriteAllText(Path.Combine(_root, "assets", "big.js"), new string('x', 5000));
        File.WriteAllBytes(Path.Combine(_root, "assets", "big.js.gz"), Gzip(new string('x', 5000)));
        File.WriteAllText(Path.Combine(_dir, "secret.txt"), "secret");
        File.CreateSymbolicLink(Path.Combine(_root, "escape.txt"), Path.Combine(_dir, "secret.txt"));
        File.CreateSymbolicLink(Path.Combine(_root, "inside.css"), Path.Combine(_root, "assets", "style.css"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "up"), _dir);
        _proxy = await ProxyHarness.StartAsync(SiteTable(_root), o => o with { Headers = new ResponseHeaderOptions { Set = new Dictionary<string, string> { ["X-Frame-Options"] = "DENY" } } });
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    internal static RoutingTable SiteTable(string root, bool spa = true) =>
        Table([Route("web#0", "web")], Service("web", null, Revision("v1", 100) with { Static = new StaticSiteModel(root, spa, "index.html") }));

    [Fact]
    public async Task Get_File_ServedWithTypeValidatorsAndEdgeHeaders()
    {
        using var response = await _proxy.Client.GetAsync("/assets/style.css");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("body{}", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/css; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.NotNull(response.Headers.ETag);
        Assert.NotNull(response.Content.Headers.LastModified);
        Assert.Equal("no-cache", response.Headers.CacheControl!.ToString());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("bytes", response.Headers.AcceptRanges.Single());
    }

    [Fact]
    public async Task Get_FingerprintedAsset_CachedImmutable()
    {
        using var response = await _proxy.Client.GetAsync("/assets/app.3f2a9c1b.js");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl!.ToString());
        Assert.StartsWith("text/javascript", response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Root_ServesIndexNoCache()
    {
        using var response = await _proxy.Client.GetAsync("/");
        Assert.Equal(Index, await response.Content.ReadAsStringAsync());
        Assert.Equal("no-cache", response.Headers.CacheControl!.ToString());
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task Get_DirectoryWithoutSlash_RedirectsAndSlashServesItsIndex()
    {
        await using var raw = await RawHttp.ConnectAsync(_proxy.Port);
        await raw.SendAsync("GET /docs?x=1 HTTP/1.1\r\nHost: x\r\n\r\n");
        var head = await raw.ReadHeadAsync();
        Assert.StartsWith("HTTP/1.1 301", head, StringComparison.Ordinal);
        Assert.Contains("Location: /docs/?x=1", head, StringComparison.Ordinal);

        using var response = await _proxy.Client.GetAsync("/docs/");
        Assert.Equal("docs", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_IfNoneMatchOrIfModifiedSince_Answers304()
    {
        using var first = await _proxy.Client.GetAsync("/assets/style.css");
        using var byTag = new HttpRequestMessage(HttpMethod.Get, "/assets/style.css");
        byTag.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var notModified = await _proxy.Client.SendAsync(byTag);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(first.Headers.ETag, notModified.Headers.ETag);

        using var byDate = new HttpRequestMessage(HttpMethod.Get, "/assets/style.css");
        byDate.Headers.IfModifiedSince = first.Content.Headers.LastModified;
        using var notModifiedByDate = await _proxy.Client.SendAsync(byDate);
        Assert.Equal(HttpStatusCode.NotModified, notModifiedByDate.StatusCode);

        using var stale = new HttpRequestMessage(HttpMethod.Get, "/assets/style.css");
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"other\""));
        using var changed = await _proxy.Client.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
    }

    [Theory]
    [InlineData("bytes=10-19", 10, 10)]
    [InlineData("bytes=90-", 90, 10)]
    [InlineData("bytes=-5", 95, 5)]
    [InlineData("bytes=95-500", 95, 5)]
    public async Task Get_Range_Answers206WithThoseBytes(string range, int offset, int count)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/assets/data.bin");
        request.Headers.TryAddWithoutValidation("Range", range);
        using var response = await _proxy.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(Enumerable.Range(offset, count).Select(i => (byte)i).ToArray(), await response.Content.ReadAsByteArrayAsync());
        Assert.Equal($"bytes {offset}-{offset + count - 1}/100", response.Content.Headers.ContentRange!.ToString());
    }

    [Fact]
    public async Task Get_RangePastTheEnd_Answers416()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/assets/data.bin");
        request.Headers.TryAddWithoutValidation("Range", "bytes=100-");
        using var response = await _proxy.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal("bytes */100", response.Content.Headers.ContentRange!.ToString());
    }

    [Fact]
    public async Task Get_RangeWithStaleIfRange_AnswersWholeFile()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/assets/data.bin");
        request.Headers.TryAddWithoutValidation("Range", "bytes=0-9");
        request.Headers.TryAddWithoutValidation("If-Range", "\"old\"");
        using var response = await _proxy.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(100, (await response.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task Head_File_HeadersWithoutBody()
    {
        await using var raw = await RawHttp.ConnectAsync(_proxy.Port);
        await raw.SendAsync("HEAD /assets/data.bin HTTP/1.1\r\nHost: x\r\n\r\n");
        var head = await raw.ReadHeadAsync();
        Assert.StartsWith("HTTP/1.1 200", head, StringComparison.Ordinal);
        Assert.Contains("Content-Length: 100", head, StringComparison.Ordinal);
        await raw.SendAsync("GET /assets/style.css HTTP/1.1\r\nHost: x\r\n\r\n");
        var next = await raw.ReadUntilAsync("body{}");
        // The HEAD sent no body: the next answer follows its headers directly.
        Assert.StartsWith("HTTP/1.1 200", next, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_File_Answers405WithAllow()
    {
        using var response = await _proxy.Client.PostAsync("/assets/style.css", new StringContent("x"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("GET, HEAD", string.Join(", ", response.Content.Headers.Allow));
    }

    [Fact]
    public async Task Get_ExtensionlessPageAcceptingHtml_FallsBackToIndex()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/users/42");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");
        using var response = await _proxy.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Index, await response.Content.ReadAsStringAsync());
        Assert.Equal("no-cache", response.Headers.CacheControl!.ToString());
    }

    [Theory]
    [InlineData("/users/42", "application/json")]
    [InlineData("/assets/missing.js", "text/html")]
    public async Task Get_MissingAssetOrNonHtml_Answers404(string path, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(accept);
        using var response = await _proxy.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Get_AcceptingGzipWithSibling_ServesPrecompressed()
    {
        using var client = ProxyHarness.CreateClient(_proxy.Http1);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/assets/big.js");
        request.Headers.AcceptEncoding.ParseAdd("gzip, br");
        using var response = await client.SendAsync(request);
        Assert.Equal("gzip", response.Content.Headers.ContentEncoding.Single());
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.StartsWith("text/javascript", response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Gzip(new string('x', 5000)), body);

        using var plain = await client.GetAsync("/assets/big.js");
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.Equal(5000, (await plain.Content.ReadAsByteArrayAsync()).Length);
        Assert.NotEqual(response.Headers.ETag, plain.Headers.ETag);
    }

    [Theory]
    [InlineData("/../secret.txt")]
    [InlineData("/%2e%2e/secret.txt")]
    [InlineData("/assets/%2E%2E/%2e%2e/secret.txt")]
    [InlineData("/assets/..%2f..%2fsecret.txt")]
    [InlineData("/..%5csecret.txt")]
    [InlineData("/assets\\..\\..\\secret.txt")]
    [InlineData("/index.html%00.js")]
    [InlineData("/escape.txt")]
    [InlineData("/up/secret.txt")]
    public async Task Get_PathOutOfRoot_NeverServed(string target)
    {
        await using var raw = await RawHttp.ConnectAsync(_proxy.Port);
        await raw.SendAsync($"GET {target} HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\nConnection: close\r\n\r\n");
        var answer = await raw.ReadUntilAsync("\r\n\r\n");
        Assert.Matches("^HTTP/1.1 (400|404)", answer);
    }

    [Fact]
    public async Task Get_SymlinkInsideRoot_Served()
    {
        using var response = await _proxy.Client.GetAsync("/inside.css");
        Assert.Equal("body{}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_RouteDenyingTheClient_RefusedBeforeTheSite()
    {
        var table = Table(
            [Route("web#0", "web", policy: RoutePolicy.Default with { Deny = [IPNetwork.Parse("127.0.0.0/8")] })],
            Service("web", null, Revision("v1", 100) with { Static = new StaticSiteModel(_root, true, "index.html") }));
        await using var proxy = await ProxyHarness.StartAsync(table);
        using var response = await proxy.Client.GetAsync("/assets/style.css");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }
}
