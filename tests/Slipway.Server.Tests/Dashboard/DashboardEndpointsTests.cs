using System.IO.Compression;
using System.Net;
using System.Text.RegularExpressions;
using Slipway.Server.Dashboard;

namespace Slipway.Server.Tests.Dashboard;

/// <summary>The dashboard's files as the daemon serves them: embedded, no token needed, a strict CSP, nothing from other sites.</summary>
public sealed partial class DashboardEndpointsTests : IClassFixture<DaemonFixture>
{
    private readonly DaemonFixture _daemon;

    public DashboardEndpointsTests(DaemonFixture daemon) => _daemon = daemon;

    [Fact]
    public async Task Root_NoToken_ThePageWithItsSecurityHeaders()
    {
        using var client = _daemon.Client(null);
        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(DashboardEndpoints.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("/dashboard/app.js", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Asset_AcceptsGzip_GzippedCopyOfTheSameBytes_AndItsETagGives304()
    {
        using var client = _daemon.Client(null);
        using var plain = await client.GetAsync("/dashboard/app.js");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/app.js");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        using var gzipped = await client.SendAsync(request);

        Assert.Equal("gzip", gzipped.Content.Headers.ContentEncoding.Single());
        await using var unzip = new GZipStream(await gzipped.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var reader = new StreamReader(unzip);
        Assert.Equal(await plain.Content.ReadAsStringAsync(), await reader.ReadToEndAsync());

        using var again = new HttpRequestMessage(HttpMethod.Get, "/dashboard/app.js");
        again.Headers.IfNoneMatch.Add(plain.Headers.ETag!);
        using var notModified = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task Asset_Unknown_404Problem()
    {
        using var client = _daemon.Client(null);
        using var response = await client.GetAsync("/dashboard/no-such.js");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public void Embedded_EveryImportedModuleIsThere_AndNothingComesFromAnotherSite()
    {
        var assets = DashboardAssets.Embedded;
        Assert.Contains("index.html", assets.Paths);
        foreach (var path in assets.Paths)
        {
            var text = System.Text.Encoding.UTF8.GetString(assets.Find(path)!.Content);
            Assert.DoesNotMatch(ExternalUrl(), text);
            foreach (Match import in ImportPath().Matches(text))
            {
                var target = Path.GetFullPath(Path.Combine("/", Path.GetDirectoryName(path)!, import.Groups[1].Value))[1..];
                Assert.True(assets.Find(target) is not null, $"{path} imports {import.Groups[1].Value}, which is not embedded");
            }
        }
    }

    [GeneratedRegex(@"(src|href)=""https?://|import .*https?://|url\(\s*['""]?https?://")]
    private static partial Regex ExternalUrl();

    [GeneratedRegex(@"from '(\.[^']+)'")]
    private static partial Regex ImportPath();
}
