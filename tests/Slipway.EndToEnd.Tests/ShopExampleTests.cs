using System.Net;
using Slipway.Testing;

namespace Slipway.EndToEnd.Tests;

/// <summary>
/// README's first command: `slipway up examples/shop/slipway.yaml` starts every service of the example
/// and a user reaches them through the proxy. Run on a copy whose fixed ports are swapped for free ones,
/// so the test never collides with a shop someone is running.
/// </summary>
public sealed class ShopExampleTests : IDisposable
{
    private readonly TempDirectory _state = new();
    private readonly string _manifest = RepositoryRoot.File("examples", "shop", $".test-{Guid.NewGuid():N}.yaml");
    private SlipwayProcess? _daemon;

    [Fact]
    public async Task Up_ShopExample_EveryServiceReadyAndReachableThroughTheProxy()
    {
        int edge = FreePort.Next(), api = FreePort.Next();
        var demoApp = BuildOutput.DemoApp;
        var text = (await File.ReadAllTextAsync(RepositoryRoot.File("examples", "shop", "slipway.yaml")))
            .Replace("127.0.0.1:8080", $"127.0.0.1:{edge}", StringComparison.Ordinal)
            .Replace("9101", api.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("../demo-app/bin/Release/net10.0/demo-app.dll", demoApp, StringComparison.Ordinal);
        await File.WriteAllTextAsync(_manifest, text);

        var daemon = _daemon = new SlipwayProcess(RepositoryRoot.Path, "up", _manifest, "--state-dir", _state.Path, "--api", "127.0.0.1:0");
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{edge}"), Timeout = TimeSpan.FromSeconds(10) };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));

        // web (any host), api (by host), legacy (an upstream that is the api's internal port).
        foreach (var (host, path, expected) in new[] { ((string?)null, "/", "instance web-"), ("api.shop.localhost", "/api/orders", "instance api-"), (null, "/legacy", "instance api-") })
        {
            while (true)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                if (host is not null)
                {
                    request.Headers.Host = host;
                }

                try
                {
                    using var response = await client.SendAsync(request, timeout.Token);
                    var body = await response.Content.ReadAsStringAsync(timeout.Token);
                    if (response.StatusCode == HttpStatusCode.OK && body.Contains(expected, StringComparison.Ordinal))
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                    // The proxy is not listening yet.
                }

                Assert.False(timeout.IsCancellationRequested || daemon.HasExited, $"GET {host}{path} never answered from {expected}; output:\n{daemon.Output}\n{daemon.Error}");
                await Task.Delay(250);
            }
        }

        // The canary of api deploys out of the box: its hooks pass on a machine with no database, and `deploy`
        // follows it (promoted early, rather than waiting out its pauses) to exit 0.
        var deploy = new SlipwayProcess(RepositoryRoot.Path, "deploy", "api", "--version", "2", "--file", _manifest, "--state-dir", _state.Path);
        using (deploy)
        {
            var status = await CliUntilAsync(["status", "--output", "json", "--state-dir", _state.Path],
                output => output.Contains("\"phase\": \"canary\"", StringComparison.Ordinal) || output.Contains("\"outcome\": \"failed\"", StringComparison.Ordinal), timeout.Token);
            Assert.DoesNotContain("\"outcome\": \"failed\"", status, StringComparison.Ordinal);
            using var promote = new SlipwayProcess(RepositoryRoot.Path, "promote", "api", "--state-dir", _state.Path);
            Assert.True(await promote.WaitForExitAsync(120) == 0, promote.Output + promote.Error);
            var exit = await deploy.WaitForExitAsync(180);
            Assert.True(exit == 0, $"deploy exited {exit}:\n{deploy.Output}{deploy.Error}\n{daemon.Output}");
            Assert.Contains("promoted", deploy.Output, StringComparison.Ordinal);
        }

        await EdgePoliciesOfTheShopTakeEffectAsync(client, edge, timeout.Token);

        daemon.Signal(Native.SigTerm);
        Assert.Equal(0, await daemon.WaitForExitAsync());
        Assert.DoesNotContain("secret-missing", daemon.Output, StringComparison.Ordinal);
    }

    private static async Task<string> CliUntilAsync(string[] args, Func<string, bool> done, CancellationToken timeout)
    {
        while (true)
        {
            using var cli = new SlipwayProcess(RepositoryRoot.Path, args);
            await cli.WaitForExitAsync(60);
            if (done(cli.Output))
            {
                return cli.Output;
            }

            Assert.False(timeout.IsCancellationRequested, $"slipway {string.Join(' ', args)} never showed what was waited for:\n{cli.Output}{cli.Error}");
            await Task.Delay(500, CancellationToken.None);
        }
    }

    /// <summary>The shop's `proxy:` and route policies, each seen from a client.</summary>
    private static async Task EdgePoliciesOfTheShopTakeEffectAsync(HttpClient client, int edge, CancellationToken cancellationToken)
    {
        // headers: secure
        using (var page = await client.GetAsync("/", cancellationToken))
        {
            Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        }

        // compression: the demo app's event stream (text/event-stream, no length) arrives gzipped.
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/sse?count=2&intervalMs=10"))
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");
            using var events = await client.SendAsync(request, cancellationToken);
            Assert.Equal("gzip", events.Content.Headers.ContentEncoding.Single());
            using var reader = new StreamReader(new System.IO.Compression.GZipStream(await events.Content.ReadAsStreamAsync(cancellationToken), System.IO.Compression.CompressionMode.Decompress));
            Assert.Contains("event: tick", await reader.ReadToEndAsync(cancellationToken), StringComparison.Ordinal);
        }

        // limits.maxRequestBody: 10MB, refused on its Content-Length alone.
        using (var tcp = new System.Net.Sockets.TcpClient())
        {
            await tcp.ConnectAsync(IPAddress.Loopback, edge, cancellationToken);
            var stream = tcp.GetStream();
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"POST /echo HTTP/1.1\r\nHost: shop.localhost\r\nContent-Length: {11 * 1024 * 1024}\r\n\r\n"), cancellationToken);
            var buffer = new byte[512];
            var read = await stream.ReadAsync(buffer, cancellationToken);
            Assert.StartsWith("HTTP/1.1 413", System.Text.Encoding.ASCII.GetString(buffer, 0, read), StringComparison.Ordinal);
        }

        // The api's routes: 10/s with a burst of 20 and a WAF, the login at 5/m, the admin path for local addresses only.
        // 100 requests at once: they would have to arrive over more than 8 s for the bucket to keep up.
        var statuses = await Task.WhenAll(Enumerable.Range(0, 100).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/orders");
            request.Headers.Host = "api.shop.localhost";
            using var response = await client.SendAsync(request, cancellationToken);
            return response.StatusCode;
        }));

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);

        // waf (block) on the same route: an injection gets 403, not 429, with the bucket spent, because the WAF
        // runs before the rate limit.
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/orders?id=1%27%20or%20%271%27%3D%271"))
        {
            request.Headers.Host = "api.shop.localhost";
            using var attack = await client.SendAsync(request, cancellationToken);
            Assert.Equal(HttpStatusCode.Forbidden, attack.StatusCode);
            Assert.Contains("web application firewall", await attack.Content.ReadAsStringAsync(cancellationToken), StringComparison.Ordinal);
        }

        var logins = new List<HttpStatusCode>();
        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/login") { Content = new StringContent("user=a") };
            request.Headers.Host = "api.shop.localhost";
            using var response = await client.SendAsync(request, cancellationToken);
            logins.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.TooManyRequests], logins);
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/admin"))
        {
            request.Headers.Host = "api.shop.localhost";
            using var admin = await client.SendAsync(request, cancellationToken);
            Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        }
    }

    public void Dispose()
    {
        _daemon?.Dispose();
        LeftoverInstances.Kill(_state.Path);
        File.Delete(_manifest);
        _state.Dispose();
    }
}
