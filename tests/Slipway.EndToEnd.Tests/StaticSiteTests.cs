using System.Net;
using System.Net.Http.Headers;
using Slipway.Testing;
using Xunit.Abstractions;

namespace Slipway.EndToEnd.Tests;

/// <summary>A single-page app as a static service of the real daemon: served by the edge, deployed blue-green under load, rolled back.</summary>
public sealed class StaticSiteTests : IAsyncLifetime
{
    private const string Asset = "assets/app.3f9a2c1b.js";

    private readonly ITestOutputHelper _output;
    private readonly TempDirectory _dir = new();
    private readonly List<SlipwayProcess> _processes = [];
    private string _api = "";

    public StaticSiteTests(ITestOutputHelper output) => _output = output;

    private string StateDir => _dir.Combine("state");

    [Fact]
    public async Task Up_StaticSpa_ServedThenDeployedBlueGreenUnderLoadWithNoFailureThenRolledBack()
    {
        Build("1");
        Build("2");
        File.WriteAllText(_dir.Combine("slipway.yaml"), """
            app: site
            proxy: { listen: ["http://127.0.0.1:0"], headers: secure }
            services:
              web:
                version: "1"
                static: { root: "dist/${VERSION}", spa: true }
                routes: [ { path: / } ]
                deploy: { strategy: blue-green, scaleDownDelay: 5m, hooks: { smoke: ["GET /", "GET /assets/app.3f9a2c1b.js"] } }
            """);
        var daemon = Start("up", "slipway.yaml", "--state-dir", StateDir, "--api", "127.0.0.1:0");
        await daemon.UntilAsync(() => daemon.Output.Contains("slipway: control API on ", StringComparison.Ordinal)
            && daemon.Output.Contains("slipway: proxy listening on ", StringComparison.Ordinal)
            && daemon.Output.Contains(" ready ", StringComparison.Ordinal), "the proxy, the API and the site's first revision");
        var lines = daemon.Output.Split('\n');
        var proxy = new Uri(lines.First(l => l.StartsWith("slipway: proxy listening on ", StringComparison.Ordinal))["slipway: proxy listening on ".Length..].Split(';')[0].Trim());
        _api = lines.First(l => l.StartsWith("slipway: control API on ", StringComparison.Ordinal))["slipway: control API on ".Length..].Trim();
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = proxy, Timeout = TimeSpan.FromSeconds(10) };

        // The SPA: a client-side route answers the index, after the edge's own steps (its security headers).
        using (var page = await GetAsync(client, "/settings/profile", html: true))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("<!doctype html><title>v1</title>", await page.Content.ReadAsStringAsync());
            Assert.Equal("no-cache", page.Headers.CacheControl?.ToString());
            Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        }

        // Revalidation: the index's ETag comes back 304 with no body.
        using (var index = await GetAsync(client, "/", html: true))
        {
            var etag = index.Headers.ETag ?? throw new InvalidOperationException("no ETag on the index");
            using var again = new HttpRequestMessage(HttpMethod.Get, "/");
            again.Headers.IfNoneMatch.Add(etag);
            using var notModified = await client.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        }

        // A fingerprinted asset is cached for a year; a missing asset is a 404, not the index.
        using (var asset = await GetAsync(client, "/" + Asset, html: false))
        {
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
            Assert.Equal("public, max-age=31536000, immutable", asset.Headers.CacheControl?.ToString());
            Assert.StartsWith("text/javascript", asset.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        }

        using (var missing = await GetAsync(client, "/assets/gone.12345678.js", html: true))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        // A version with no directory is refused before anything moves, naming the key and the directory.
        var (refusedExit, refused) = await CliAsync("deploy", "web", "--version", "3", "--wait");
        Assert.True(refusedExit != 0, refused);
        Assert.Contains("services.web.static.root names a directory that does not exist: " + _dir.Combine("dist", "3"), refused, StringComparison.Ordinal);

        // Nothing to scale: said so, not taken for an upstream.
        var (scaleExit, scale) = await CliAsync("scale", "web", "2");
        Assert.True(scaleExit != 0, scale);
        Assert.Contains("web is a static site", scale, StringComparison.Ordinal);

        var load = new PageLoad(proxy);
        await using (load)
        {
            await daemon.UntilAsync(() => load.Requests > 20, "load before the deploy");
            // Detached: following would last the whole warm period.
            var (exit, output) = await CliAsync("deploy", "web", "--version", "2", "--detach", "--reason", "e2e");
            Assert.True(exit == 0, $"deploy 2 exited {exit}:\n{output}\n{daemon.Output}");
            await daemon.UntilAsync(() => daemon.Output.Contains(" rollout-promoted ", StringComparison.Ordinal), "the promotion");
            await daemon.UntilAsync(() => load.Seen.ContainsKey("v2") && load.Requests > load.Seen["v2"] + 20, "v2 under load");
            await AllPagesAsync(client, "v2");

            // Instant rollback: the old root is still warm, so traffic goes back in one switch.
            var (back, rollback) = await CliAsync("rollback", "web");
            Assert.True(back == 0, rollback);
            Assert.Contains("takes all traffic", rollback, StringComparison.Ordinal);
            await AllPagesAsync(client, "v1");
            var afterRollback = load.Requests;
            await daemon.UntilAsync(() => load.Requests > afterRollback + 20, "load after the rollback");
        }

        _output.WriteLine(load.Report());
        Assert.True(load.Failures == 0, load.Report());
        Assert.True(load.Seen.ContainsKey("v1") && load.Seen.ContainsKey("v2"), load.Report());

        var (historyExit, history) = await CliAsync("history", "web");
        Assert.Equal(0, historyExit);
        _output.WriteLine(history);
        Assert.Contains(history.Split('\n'), l => l.StartsWith("2 ", StringComparison.Ordinal) && l.Contains(" rolled-back ", StringComparison.Ordinal));
        Assert.Contains(history.Split('\n'), l => l.StartsWith("1* ", StringComparison.Ordinal));

        var (statusExit, status) = await CliAsync("status");
        Assert.Equal(0, statusExit);
        Assert.Contains(status.Split('\n'), l => l.StartsWith("web ", StringComparison.Ordinal) && l.Contains(" 1/1 ", StringComparison.Ordinal) && l.Contains("healthy", StringComparison.Ordinal));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <remarks>xUnit calls this one (not <see cref="IAsyncDisposable"/>) after the test: the daemon is stopped even when the test failed.</remarks>
    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.StopAsync();
        }

        _dir.Dispose();
    }

    /// <summary>dist/VERSION: an index naming the version and one fingerprinted asset.</summary>
    private void Build(string version)
    {
        var root = _dir.Combine("dist", version);
        Directory.CreateDirectory(Path.Combine(root, "assets"));
        File.WriteAllText(Path.Combine(root, "index.html"), $"<!doctype html><title>v{version}</title>");
        File.WriteAllText(Path.Combine(root, Asset), $"console.log('v{version}');");
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, bool html)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (html)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        }

        return await client.SendAsync(request);
    }

    /// <summary>Fresh requests for the index and a client-side route: every one the page of <paramref name="version"/>.</summary>
    private static async Task AllPagesAsync(HttpClient client, string version)
    {
        for (var i = 0; i < 20; i++)
        {
            using var response = await GetAsync(client, i % 2 == 0 ? "/" : "/orders/42", html: true);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal($"<!doctype html><title>{version}</title>", await response.Content.ReadAsStringAsync());
        }
    }

    private async Task<(int Exit, string Output)> CliAsync(params string[] args)
    {
        var process = Start([.. args, "--server", _api, "--state-dir", StateDir]);
        var exit = await process.WaitForExitAsync(120);
        return (exit, process.Output + process.Error);
    }

    private SlipwayProcess Start(params string[] args)
    {
        var process = new SlipwayProcess(_dir.Path, args);
        _processes.Add(process);
        return process;
    }
}
