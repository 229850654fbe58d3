using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Slipway.Testing;

namespace Slipway.EndToEnd.Tests;

/// <summary>
/// A real daemon (`slipway up`) serving the demo app through its proxy, its <c>/metrics</c> checked by
/// <c>promtool check metrics</c> and scraped by a real Prometheus that answers queries about it.
/// </summary>
public sealed class PrometheusTests : IAsyncLifetime
{
    private const int Requests = 7;

    private readonly TempDirectory _dir = new();
    private SlipwayProcess? _daemon;

    private string StateDir => _dir.Combine("state");

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Metrics_OfARunningDaemon_PassPromtoolAndReachPrometheusPerRevision()
    {
        var promtool = ExternalTool.Require("promtool", "prometheus");
        var manifest = _dir.Combine("slipway.yaml");
        await File.WriteAllTextAsync(manifest, $$"""
            app: e2e-metrics
            proxy: { listen: ["http://127.0.0.1:0"] }
            services:
              api:
                run:
                  command: dotnet
                  args: ["{{BuildOutput.DemoApp}}"]
                routes: [ { path: / } ]
                health:
                  readiness: { http: /ready, period: 300ms, timeout: 300ms }
                metrics: { path: /metrics, interval: 1s }
                stop: { drainTimeout: 1s, gracePeriod: 3s }
            """);
        _daemon = new SlipwayProcess(_dir.Path, "up", manifest, "--state-dir", StateDir, "--api", "127.0.0.1:0");
        await UntilAsync(() => _daemon.Output.Contains(" ready ", StringComparison.Ordinal), "a ready instance");
        var api = new Uri(Line(_daemon, "slipway: control API on ").Trim());
        var proxy = new Uri(Line(_daemon, "slipway: proxy listening on ").Split(';')[0].Trim());

        using (var client = new HttpClient { BaseAddress = proxy, Timeout = TimeSpan.FromSeconds(10) })
        {
            for (var i = 0; i < Requests; i++)
            {
                using var response = await client.GetAsync(new Uri("/", UriKind.Relative));
                Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            }
        }

        var token = await ViewerTokenAsync(api);
        using var viewer = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(10) };
        viewer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var exposition = "";
        await UntilAsync(async () =>
        {
            exposition = await viewer.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            return exposition.Contains("demo_requests_total{service=\"api\",revision=\"1\",instance=\"api-1-0\",code=\"2xx\"} 7\n", StringComparison.Ordinal);
        }, "the demo app's own counter, scraped, in /metrics");
        Assert.Contains("slipway_http_requests_total{service=\"api\",revision=\"1\",route=\"api#0\",code=\"200\"} 7\n", exposition, StringComparison.Ordinal);

        Assert.Contains("# TYPE slipway_backup_last_failed gauge\n", exposition, StringComparison.Ordinal);
        Assert.Contains("# TYPE slipway_tls_certificate_expiry_timestamp_seconds gauge\n", exposition, StringComparison.Ordinal);
        var (exit, lint) = await ExternalTool.RunAsync(promtool, ["check", "metrics"], exposition);
        Assert.True(exit == 0 && lint.Trim().Length == 0, $"promtool check metrics exited {exit}:\n{lint}\non:\n{exposition}");

        await using var prometheus = PrometheusServer.Start(_dir, $"{api.Host}:{api.Port.ToString(CultureInfo.InvariantCulture)}", token);
        using var query = new HttpClient { BaseAddress = prometheus.Address, Timeout = TimeSpan.FromSeconds(10) };
        double? seen = null;
        await UntilAsync(async () =>
        {
            Assert.False(prometheus.HasExited, $"prometheus exited:\n{prometheus.Log}");
            seen = await QueryAsync(query, "sum(slipway_http_requests_total{job=\"slipway\",service=\"api\",revision=\"1\"})");
            return seen == Requests;
        }, $"Prometheus to report {Requests} requests for revision 1 (last answer: {seen}); its log:\n{prometheus.Log}");

        // The form `slipway render prometheus-rules` gives app_value("demo_requests_total", code="2xx"): the re-exposed
        // application series keep their name and carry service and revision.
        await UntilAsync(async () =>
        {
            seen = await QueryAsync(query, "sum by (service, revision) (demo_requests_total{code=\"2xx\"})");
            return seen == Requests;
        }, $"Prometheus to report the app's own {Requests} 2xx by service and revision (last answer: {seen})");
    }

    public async Task DisposeAsync()
    {
        if (_daemon is not null)
        {
            await _daemon.StopAsync();
        }

        LeftoverInstances.Kill(StateDir);
        _dir.Dispose();
    }

    /// <summary>The value of a one-sample instant query, or null while Prometheus has none (or is not up yet).</summary>
    private static async Task<double?> QueryAsync(HttpClient prometheus, string promql)
    {
        try
        {
            using var response = await prometheus.GetAsync(new Uri("/api/v1/query?query=" + Uri.EscapeDataString(promql), UriKind.Relative));
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            var result = body.GetProperty("data").GetProperty("result");
            return result.GetArrayLength() == 1
                ? double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)
                : null;
        }
        catch (HttpRequestException)
        {
            return null; // not listening yet
        }
    }

    private async Task<string> ViewerTokenAsync(Uri api)
    {
        using var admin = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(10) };
        var adminToken = (await File.ReadAllTextAsync(Path.Combine(StateDir, "admin.token"))).Trim();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await admin.PostAsJsonAsync(new Uri("/api/v1/tokens", UriKind.Relative), new { name = "prometheus", role = "viewer" });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Dictionary<string, string>>())!["token"];
    }

    private static string Line(SlipwayProcess daemon, string prefix) =>
        daemon.Output.Split('\n').First(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..];

    private Task UntilAsync(Func<bool> condition, string what) => _daemon!.UntilAsync(condition, what);

    private Task UntilAsync(Func<Task<bool>> condition, string what) => _daemon!.UntilAsync(condition, what);
}
