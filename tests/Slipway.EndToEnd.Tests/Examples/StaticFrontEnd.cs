using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Slipway.EndToEnd.Tests.Examples;

/// <summary>
/// What every example's front end (a built SPA under web/dist/VERSION, a static service) must do: its index, the SPA
/// fallback for a client-side route, its fingerprinted bundle cached for good, and a deploy under page load that no
/// visitor notices.
/// </summary>
internal static partial class StaticFrontEnd
{
    /// <summary>
    /// The index titled <paramref name="title"/>; <paramref name="clientRoute"/> answered with the same index for a
    /// browser (Accept: text/html) and 404 for anything else; the bundle the index names, immutable.
    /// </summary>
    public static async Task AssertServedAsync(ExampleDaemon example, HttpClient client, string clientRoute, string title)
    {
        string index;
        using (var page = await example.UntilOkAsync(client, "/"))
        {
            index = await page.Content.ReadAsStringAsync();
            Assert.Contains($"<title>{title}</title>", index, StringComparison.Ordinal);
            Assert.Equal("no-cache", page.Headers.CacheControl?.ToString());
        }

        using (var route = await GetAsync(client, clientRoute, html: true))
        {
            Assert.Equal(HttpStatusCode.OK, route.StatusCode);
            Assert.Equal(index, await route.Content.ReadAsStringAsync());
        }

        using (var notAPage = await GetAsync(client, clientRoute, html: false))
        {
            Assert.Equal(HttpStatusCode.NotFound, notAPage.StatusCode);
        }

        var bundle = Bundle().Match(index);
        Assert.True(bundle.Success, "the index names no fingerprinted bundle:\n" + index);
        using var script = await GetAsync(client, bundle.Groups["path"].Value, html: false);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("public, max-age=31536000, immutable", script.Headers.CacheControl?.ToString());
        Assert.StartsWith("text/javascript", script.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// `slipway deploy SERVICE --version VERSION --wait` while browsers load pages: it succeeds, both versions answer
    /// pages, and not one request fails.
    /// </summary>
    public static async Task DeployUnderLoadAsync(ExampleDaemon example, ITestOutputHelper output, string service, string version)
    {
        var load = new PageLoad(example.Edge);
        int exit;
        string deploy;
        await using (load)
        {
            await example.Daemon.UntilAsync(() => load.Requests > 20, "page load before the deploy");
            (exit, deploy) = await example.CliAsync("deploy", service, "--version", version, "--wait", "--reason", "e2e");
            Assert.True(exit == 0, $"deploy {service} {version} exited {exit}:\n{deploy}");
            await example.Daemon.UntilAsync(() => load.Seen.TryGetValue("v" + version, out var pages) && pages > 20, $"pages of v{version} under load");
        }

        output.WriteLine(load.Report());
        Assert.Contains("promoted", deploy, StringComparison.Ordinal);
        Assert.True(load.Failures == 0, load.Report());
        Assert.True(load.Seen.ContainsKey("v1"), load.Report());
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

    [GeneratedRegex("<script[^>]* src=\"(?<path>/assets/app\\.[0-9a-f]{8}\\.js)\"")]
    private static partial Regex Bundle();
}
