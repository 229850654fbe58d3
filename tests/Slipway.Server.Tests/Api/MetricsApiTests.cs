using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Slipway.Core.Routing;

namespace Slipway.Server.Tests.Api;

/// <summary><c>GET /api/v1/services/NAME/metrics</c>: the proxy's per-revision counters as time series.</summary>
public sealed class MetricsApiTests : IClassFixture<DaemonFixture>
{
    private readonly DaemonFixture _daemon;

    public MetricsApiTests(DaemonFixture daemon) => _daemon = daemon;

    [Fact]
    public async Task Metrics_RequestsRecordedForTwoRevisions_OneSeriesEachWithRateErrorsAndLatency()
    {
        for (var i = 0; i < 10; i++)
        {
            _daemon.Daemon.Metrics.Record(new RequestSample("api", "81", "api#0", null, i < 2 ? 500 : 200, TimeSpan.FromMilliseconds(20), 0, 100, false, false));
        }

        _daemon.Daemon.Metrics.Record(new RequestSample("api", "82", "api#0", null, 200, TimeSpan.FromMilliseconds(5), 0, 100, false, false));
        using var client = _daemon.Client(_daemon.AdminToken);

        var metrics = await client.GetFromJsonAsync<JsonElement>("/api/v1/services/api/metrics?since=10m&step=10m");

        Assert.Equal(600, metrics.GetProperty("stepSeconds").GetDouble());
        var revisions = metrics.GetProperty("revisions").EnumerateArray().ToDictionary(r => r.GetProperty("revision").GetString()!, r => r.GetProperty("points"));
        var last = revisions["81"].EnumerateArray().Last(p => p.GetProperty("requestsPerSecond").GetDouble() > 0);
        Assert.Equal(Math.Round(10 / 600.0, 3), last.GetProperty("requestsPerSecond").GetDouble());
        Assert.Equal(0.2, last.GetProperty("errorRate").GetDouble());
        Assert.InRange(last.GetProperty("p50Ms").GetDouble(), 10, 25);
        Assert.True(revisions.ContainsKey("82"));
    }

    [Theory]
    [InlineData("since=2h", "since")]
    [InlineData("step=1500ms", "step")]
    [InlineData("since=1h&step=1s", "step")]
    [InlineData("step=soon", "step")]
    public async Task Metrics_BadQuery_400NamingTheParameter(string query, string field)
    {
        using var client = _daemon.Client(_daemon.AdminToken);
        using var response = await client.GetAsync($"/api/v1/services/api/metrics?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Metrics_UnknownService_404()
    {
        using var client = _daemon.Client(_daemon.AdminToken);
        using var response = await client.GetAsync("/api/v1/services/no-such/metrics");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
