using System.Net;
using Slipway.Testing;

namespace Slipway.EndToEnd.Tests;

/// <summary>`slipway maintenance` against a real daemon: the page, what passes, a restart, a hold that a short deploy fits in, the audit.</summary>
public sealed class MaintenanceTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly List<SlipwayProcess> _processes = [];
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(60) };

    private string StateDir => _dir.Combine("state");

    private string Manifest => _dir.Combine("slipway.yaml");

    public Task InitializeAsync()
    {
        File.WriteAllText(Manifest, $$"""
            app: e2e
            proxy: { listen: ["http://127.0.0.1:0"] }
            services:
              api:
                run:
                  command: dotnet
                  args: ["{{BuildOutput.DemoApp}}"]
                routes: [ { path: / } ]
                health:
                  readiness: { http: /ready, period: 300ms, timeout: 300ms }
                stop: { drainTimeout: 1s, gracePeriod: 3s }
            """);
        File.WriteAllText(_dir.Combine("page.html"), "<h1>Back at 10:00</h1>");
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Maintenance_PageHeldRequestsRestartAndAudit()
    {
        var (daemon, edge, api) = await UpAsync();

        Assert.Equal(0, await CliAsync(api, "maintenance", "on", "--page", _dir.Combine("page.html")));
        using (var page = await _client.GetAsync(new Uri(edge, "/orders")))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
            Assert.Equal("<h1>Back at 10:00</h1>", await page.Content.ReadAsStringAsync());
            Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
            Assert.NotNull(page.Headers.RetryAfter);
        }

        // The service's health check and ACME challenges still reach it.
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(new Uri(edge, "/ready"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(new Uri(edge, "/.well-known/acme-challenge/abc"))).StatusCode);

        // A restart keeps the app in maintenance.
        await daemon.StopAsync();
        (daemon, edge, api) = await UpAsync(expectReady: "/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _client.GetAsync(new Uri(edge, "/"))).StatusCode);

        // With a hold, a request waits; ending maintenance lets it through, as after a short deploy.
        Assert.Equal(0, await CliAsync(api, "maintenance", "on", "api", "--hold", "1m"));
        var held = _client.GetAsync(new Uri(edge, "/orders"));
        await Task.Delay(1000);
        Assert.False(held.IsCompleted, "the request was answered instead of held");
        Assert.Equal(0, await CliAsync(api, "maintenance", "off"));
        using (var released = await held)
        {
            Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(new Uri(edge, "/"))).StatusCode);

        using var audit = new SlipwayProcess(_dir.Path, "audit", "--server", api.ToString(), "--state-dir", StateDir);
        Assert.Equal(0, await audit.WaitForExitAsync());
        Assert.Contains("/api/v1/maintenance", audit.Output, StringComparison.Ordinal);
        Assert.Contains("hold=1m", audit.Output, StringComparison.Ordinal);
    }

    private async Task<int> CliAsync(Uri api, params string[] args)
    {
        using var cli = new SlipwayProcess(_dir.Path, [.. args, "--server", api.ToString(), "--state-dir", StateDir]);
        var exit = await cli.WaitForExitAsync();
        Assert.True(exit == 0, $"slipway {string.Join(' ', args)}: {cli.Output}{cli.Error}");
        return exit;
    }

    /// <summary>Starts the daemon and waits until <paramref name="expectReady"/> answers 200 through the edge.</summary>
    private async Task<(SlipwayProcess Daemon, Uri Edge, Uri Api)> UpAsync(string expectReady = "/")
    {
        var daemon = new SlipwayProcess(_dir.Path, "up", Manifest, "--state-dir", StateDir, "--api", "127.0.0.1:0");
        _processes.Add(daemon);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (true)
        {
            var lines = daemon.Output.Split('\n');
            var proxy = lines.FirstOrDefault(l => l.StartsWith("slipway: proxy listening on ", StringComparison.Ordinal));
            var control = lines.FirstOrDefault(l => l.StartsWith("slipway: control API on ", StringComparison.Ordinal));
            if (proxy is not null && control is not null)
            {
                var edge = new Uri(proxy["slipway: proxy listening on ".Length..].Split(';')[0].Trim());
                try
                {
                    using var response = await _client.GetAsync(new Uri(edge, expectReady), timeout.Token);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return (daemon, edge, new Uri(control["slipway: control API on ".Length..].Trim()));
                    }
                }
                catch (HttpRequestException)
                {
                    // Not yet.
                }
            }

            Assert.False(timeout.IsCancellationRequested || daemon.HasExited, $"the daemon never served {expectReady}:\n{daemon.Output}\n{daemon.Error}");
            await Task.Delay(200);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.StopAsync();
        }

        _client.Dispose();
        LeftoverInstances.Kill(StateDir);
        _dir.Dispose();
    }
}
