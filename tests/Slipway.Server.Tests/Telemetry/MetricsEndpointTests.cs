using System.Net;
using System.Net.Http.Json;
using Slipway.Testing;

namespace Slipway.Server.Tests.Telemetry;

/// <summary><c>/metrics</c> on the control API of a running daemon whose demo service serves its own metrics.</summary>
public sealed class MetricsEndpointTests : IClassFixture<DaemonFixture>
{
    private readonly DaemonFixture _daemon;

    public MetricsEndpointTests(DaemonFixture daemon) => _daemon = daemon;

    [Fact]
    public async Task Metrics_WithoutToken_Is401()
    {
        using var client = _daemon.Client(null);

        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_ViewerToken_ServesInstancesAndScrapedApplicationSeriesAsPrometheusText()
    {
        // The fixture's service starts once its secret exists.
        using (var admin = _daemon.Client(_daemon.AdminToken))
        {
            using var set = await admin.PutAsJsonAsync($"/api/v1/secrets/{DaemonFixture.SecretName}", new { value = "s3cret" });
            Assert.True(set.IsSuccessStatusCode, await set.Content.ReadAsStringAsync());
        }

        using var client = _daemon.Client(await _daemon.TokenAsync("prometheus", "viewer"));
        var text = "";
        await Wait.UntilAsync(async () =>
        {
            using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
            text = await response.Content.ReadAsStringAsync();
            return text.Contains("slipway_instance_ready{service=\"api\",revision=\"1\",instance=\"api-1-0\"} 1\n", StringComparison.Ordinal)
                && text.Contains("# TYPE demo_request_duration_seconds histogram\n", StringComparison.Ordinal);
        }, "a ready instance and its scraped metrics in /metrics");

        Assert.Contains("# TYPE slipway_http_requests_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("slipway_instance_up{service=\"api\",revision=\"1\",instance=\"api-1-0\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("demo_payments_failed_total{service=\"api\",revision=\"1\",instance=\"api-1-0\"} 0\n", text, StringComparison.Ordinal);
        Assert.Single(_daemon.Daemon.ApplicationMetrics.Select("demo_in_flight_requests", new Dictionary<string, string> { ["service"] = "api" }));
    }
}
