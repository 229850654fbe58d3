using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Slipway.Backups.Catalog;
using Slipway.Testing;

namespace Slipway.EndToEnd.Tests.Dashboard;

/// <summary>
/// `slipway up` of a small shop for the dashboard's browser tests: web, api (a canary whose <c>bad*</c> versions fail
/// half their requests), a worker, a reports service that never becomes ready (so instance-down fires), and an
/// upstream. Alerts go to a webhook this class answers. The API listens on a port chosen once, so a restart keeps it.
/// </summary>
internal sealed class DashboardDaemon : IAsyncDisposable
{
    private const int OutputLinesShown = 300;

    /// <summary>
    /// api's <c>deploy.progressDeadline</c>: how long a rollout may wait for its new instances to become ready before
    /// it fails. Under a whole test run's load a fresh instance can fail its 250 ms readiness probe for tens of seconds.
    /// </summary>
    public static readonly TimeSpan ProgressDeadline = TimeSpan.FromMinutes(3);

    private readonly TempDirectory _dir = new();
    private readonly HttpListener _webhook = new();
    private readonly int _apiPort = FreePort.Next();
    private SlipwayProcess? _daemon;

    public DashboardDaemon()
    {
        var webhookPort = FreePort.Next();
        _webhook.Prefixes.Add($"http://127.0.0.1:{webhookPort}/");
        _webhook.Start();
        _ = AnswerWebhooksAsync();
        var demo = BuildOutput.DemoApp;
        File.WriteAllText(Manifest, $$"""
            app: shop
            proxy: { listen: ["http://127.0.0.1:0"] }
            services:
              web:
                version: "1"
                run:
                  command: dotnet
                  args: ["{{demo}}"]
                  env: { DEMO_VERSION: "${VERSION}" }
                routes: [ { host: shop.localhost, path: / } ]
                health:
                  readiness: { http: /ready, period: 500ms, timeout: 500ms }
                stop: { drainTimeout: 1s, gracePeriod: 3s }
              api:
                version: "1"
                run:
                  command: sh
                  args: ["-c", "case ${VERSION} in bad*) export DEMO_FAIL_RATE=0.5;; esac; exec dotnet {{demo}}"]
                  env: { DEMO_VERSION: "${VERSION}", DEMO_SHUTDOWN_TIMEOUT: 5s, DEMO_LOG_REQUESTS: "true" }
                replicas: 2
                routes: [ { path: / } ]
                health:
                  readiness: { http: /ready, period: 250ms, timeout: 250ms, failureThreshold: 3 }
                stop: { drainTimeout: 2s, gracePeriod: 5s }
                deploy:
                  strategy: canary
                  progressDeadline: {{ProgressDeadline.TotalSeconds}}s
                  steps: [ { weight: 20, pause: 5s }, { weight: 50, pause: 5s } ]
                  analysis: { interval: 1s, minRequests: 10, failureLimit: 2 }
              worker:
                run:
                  command: dotnet
                  args: ["{{demo}}"]
                  env: { DEMO_MODE: worker, DEMO_WORK_INTERVAL: 2s }
                stop: { drainTimeout: 1s, gracePeriod: 3s }
              reports:
                run:
                  command: dotnet
                  args: ["{{demo}}"]
                  env: { DEMO_READY_AFTER: 1h }
                routes: [ { path: /reports } ]
                health:
                  readiness: { http: /ready, period: 1s, timeout: 500ms }
                stop: { drainTimeout: 1s, gracePeriod: 3s }
              legacy:
                upstream: ["127.0.0.1:{{webhookPort}}"]
                routes: [ { path: /legacy } ]
            alerts:
              interval: 1s
              rules:
                - { name: instance-down, for: 2s }
              receivers:
                hook: { webhook: "http://127.0.0.1:{{webhookPort}}/" }
            backups:
              main-db:
                postgres: "postgresql://shop@127.0.0.1:5432/shop"
                destination: backups
                rto: 1h
                rpo: 24h
            """);
        SeedCatalog();
    }

    public string StateDir => _dir.Combine("state");

    public string Manifest => _dir.Combine("slipway.yaml");

    /// <summary>The dashboard and API, e.g. http://127.0.0.1:40123.</summary>
    public string Url => $"http://127.0.0.1:{_apiPort}";

    public Uri Proxy { get; private set; } = null!;

    public string AdminToken { get; private set; } = "";

    public SlipwayProcess Process => _daemon!;

    /// <summary>Starts the daemon (again, after <see cref="StopAsync"/>) and waits for the API and api's two ready instances.</summary>
    public async Task StartAsync()
    {
        var daemon = _daemon = new SlipwayProcess(_dir.Path, "up", Manifest, "--state-dir", StateDir, "--api", $"127.0.0.1:{_apiPort}");
        await UntilAsync(() => daemon.Output.Split('\n').Count(l => l.Contains(" api ", StringComparison.Ordinal) && l.Contains(" ready ", StringComparison.Ordinal)) >= 2
            && daemon.Output.Contains("slipway: dashboard on ", StringComparison.Ordinal), "the dashboard and api's two ready instances");
        var line = daemon.Output.Split('\n').First(l => l.StartsWith("slipway: proxy listening on ", StringComparison.Ordinal));
        Proxy = new Uri(line["slipway: proxy listening on ".Length..].Split(';')[0].Trim());
        AdminToken = (await File.ReadAllTextAsync(Path.Combine(StateDir, "admin.token"))).Trim();
    }

    public Task StopAsync() => _daemon?.StopAsync() ?? Task.CompletedTask;

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ?? AdminToken);
        return client;
    }

    /// <summary>Issues a token with <paramref name="role"/> through the API, as the CLI's `token create` does.</summary>
    public async Task<string> TokenAsync(string name, string role)
    {
        using var admin = Client();
        using var response = await admin.PostAsJsonAsync("/api/v1/tokens", new { name, role });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using var admin = Client();
        return await admin.GetFromJsonAsync<JsonElement>(path);
    }

    /// <summary>
    /// What a failed wait on the page needs beside its own message: <paramref name="service"/> as the API has it now
    /// (its rollout, instances and split) and the daemon's output.
    /// </summary>
    public async Task<string> DescribeAsync(string service)
    {
        string state;
        try
        {
            using var admin = Client();
            admin.Timeout = TimeSpan.FromSeconds(10);
            state = await admin.GetStringAsync($"/api/v1/services/{service}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            state = $"(the API did not answer: {e.Message})";
        }

        var lines = (_daemon?.Output ?? "").Split('\n');
        return $"{service} from the API now: {state}\ndaemon output ({Math.Min(lines.Length, OutputLinesShown)} last of {lines.Length} lines):\n"
            + string.Join('\n', lines.TakeLast(OutputLinesShown)) + $"\ndaemon errors:\n{_daemon?.Error}";
    }

    public async Task UntilAsync(Func<bool> condition, string what, int seconds = 90)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        while (!condition())
        {
            if (timeout.IsCancellationRequested || _daemon?.HasExited == true)
            {
                Assert.Fail($"timed out after {seconds}s waiting for {what}; output:\n{_daemon?.Output}\n{_daemon?.Error}");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _webhook.Close();
        LeftoverInstances.Kill(StateDir);
        _dir.Dispose();
    }

    /// <summary>A catalog as two earlier backups left it (one verified, one failed), so the backups page has one to show.</summary>
    private void SeedCatalog()
    {
        var directory = Directory.CreateDirectory(_dir.Combine("backups")).FullName;
        var at = DateTimeOffset.UtcNow.AddDays(-1);
        BackupRecord Record(string id, BackupStatus status) => new()
        {
            Id = id, Name = "main-db", Kind = "logical", Status = status, Source = "shop@127.0.0.1:5432/shop", Destination = "local:" + directory,
            StartedAt = at, FinishedAt = at.AddSeconds(3), Duration = TimeSpan.FromSeconds(3), Compression = "gzip (pg_dump -Z6)",
        };
        foreach (var record in new[]
        {
            Record("main-db-20261203T020000Z", BackupStatus.Succeeded) with
            {
                Files = [new BackupFileRecord("main-db-20261203T020000Z.dump", 184_320, "00")],
                Verification = new VerificationRecord { StartedAt = at.AddMinutes(5), Duration = TimeSpan.FromSeconds(6.4), Succeeded = true },
            },
            Record("main-db-20261204T020000Z", BackupStatus.Failed) with { Error = "pg_dump: error: connection to server failed: Connection refused" },
        })
        {
            File.WriteAllText(Path.Combine(directory, record.FileName), JsonSerializer.Serialize(record, BackupJsonContext.Default.BackupRecord));
        }
    }

    private async Task AnswerWebhooksAsync()
    {
        while (_webhook.IsListening)
        {
            try
            {
                var context = await _webhook.GetContextAsync();
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
        }
    }
}
