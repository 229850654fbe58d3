using Microsoft.Extensions.Time.Testing;
using Slipway.Control.Supervision;
using Slipway.Control.Telemetry;
using Slipway.Core.Routing;
using Slipway.Testing;

namespace Slipway.Control.Tests.Telemetry;

public sealed class MetricsExpositionTests
{
    private readonly FakeTimeProvider _time = TestClock.Create();

    [Fact]
    public void Write_RequestStore_GivesCountersAndACumulativeHistogram()
    {
        var store = new RequestMetricsStore(_time);
        Record(store, 200, 4, times: 3);
        Record(store, 503, 40, times: 1);

        var text = new MetricsExposition([new RequestMetricsSource(store)]).Write();

        Assert.Equal("""
            # HELP slipway_http_requests_total Requests the edge proxy handled, by service, revision, route and response code (none: no response).
            # TYPE slipway_http_requests_total counter
            slipway_http_requests_total{service="api",revision="2",route="api#0",code="200"} 3
            slipway_http_requests_total{service="api",revision="2",route="api#0",code="503"} 1
            # HELP slipway_http_request_duration_seconds Time from the request's arrival to the end of its response, by service, revision and route.
            # TYPE slipway_http_request_duration_seconds histogram
            slipway_http_request_duration_seconds_bucket{service="api",revision="2",route="api#0",le="0.001"} 0
            slipway_http_request_duration_seconds_bucket{service="api",revision="2",route="api#0",le="0.002"} 0
            slipway_http_request_duration_seconds_bucket{service="api",revision="2",route="api#0",le="0.003"} 0
            slipway_http_request_duration_seconds_bucket{service="api",revision="2",route="api#0",le="0.005"} 3
            slipway_http_request_duration_seconds_bucket{service="api",revision="2",route="api#0",le="0.0075"} 3
            slipway_http_request_duration_seconds_bucket{service="api",revision="2",route="api#0",le="0.01"} 3
            slipway_http_request_duration_seconds_bucket{service="api",revision="2",route="api#0",le="0.015"} 3
            slipway_http_request_duration_seconds_bucket{service="api",revision="2",route="api#0",le="0.02"} 3
            slipway_http_request_duration_seconds_bucket{service="api",revision="2",route="api#0",le="0.03"} 3
            slipway_http_request_duration_seconds_bucket{service="api",revision="2",route="api#0",le="0.05"} 4
            slipway_http_request_duration_seconds_bucket{service="api",revision="2",route="api#0",le="0.075"} 4
            slipway_http_request_duration_seconds_bucket{service="api",revision="2",route="api#0",le="0.1"} 4
            slipway_http_request_duration_seconds_bucket{service="api",revision="2",route="api#0",le="0.15"} 4
            slipway_http_request_duration_seconds_bucket{service="api",revision="2",route="api#0",le="0.2"} 4
            slipway_http_request_duration_seconds_bucket{service="api",revision="2",route="api#0",le="0.3"} 4
            slipway_http_request_duration_seconds_bucket{service="api",revision="2",route="api#0",le="0.5"} 4
            slipway_http_request_duration_seconds_bucket{service="api",revision="2",route="api#0",le="0.75"} 4
            slipway_http_request_duration_seconds_bucket{service="api",revision="2",route="api#0",le="1"} 4
            slipway_http_request_duration_seconds_bucket{service="api",revision="2",route="api#0",le="1.5"} 4
            slipway_http_request_duration_seconds_bucket{service="api",revision="2",route="api#0",le="2"} 4
            slipway_http_request_duration_seconds_bucket{service="api",revision="2",route="api#0",le="3"} 4
            slipway_http_request_duration_seconds_bucket{service="api",revision="2",route="api#0",le="5"} 4
            slipway_http_request_duration_seconds_bucket{service="api",revision="2",route="api#0",le="7.5"} 4
            slipway_http_request_duration_seconds_bucket{service="api",revision="2",route="api#0",le="10"} 4
            slipway_http_request_duration_seconds_bucket{service="api",revision="2",route="api#0",le="15"} 4
            slipway_http_request_duration_seconds_bucket{service="api",revision="2",route="api#0",le="20"} 4
            slipway_http_request_duration_seconds_bucket{service="api",revision="2",route="api#0",le="30"} 4
            slipway_http_request_duration_seconds_bucket{service="api",revision="2",route="api#0",le="+Inf"} 4
            slipway_http_request_duration_seconds_sum{service="api",revision="2",route="api#0"} 0.052
            slipway_http_request_duration_seconds_count{service="api",revision="2",route="api#0"} 4
            # HELP slipway_http_request_bytes_total Request body bytes the edge proxy forwarded, by service, revision and route.
            # TYPE slipway_http_request_bytes_total counter
            slipway_http_request_bytes_total{service="api",revision="2",route="api#0"} 12
            # HELP slipway_http_response_bytes_total Response body bytes the edge proxy sent to clients, by service, revision and route.
            # TYPE slipway_http_response_bytes_total counter
            slipway_http_response_bytes_total{service="api",revision="2",route="api#0"} 28
            # HELP slipway_edge_refusals_total Requests the edge answered itself before any backend saw them, by service, route and reason (forbidden, rate-limited, body-too-large, maintenance, waf).
            # TYPE slipway_edge_refusals_total counter
            # HELP slipway_waf_matches_total Requests a WAF rule matched, by service, route, rule class (sqli, xss, path-traversal, command-injection) and mode (block: refused with 403; detect: forwarded).
            # TYPE slipway_waf_matches_total counter
            # HELP slipway_http_request_samples_dropped_total Requests not recorded because the request store reached its series limit.
            # TYPE slipway_http_request_samples_dropped_total counter
            slipway_http_request_samples_dropped_total 0

            """, text);
    }

    [Fact]
    public void Write_RequestWithoutResponse_IsCodeNone()
    {
        var store = new RequestMetricsStore(_time);
        Record(store, 0, 4, times: 2);

        var text = new MetricsExposition([new RequestMetricsSource(store)]).Write();

        Assert.Contains("slipway_http_requests_total{service=\"api\",revision=\"2\",route=\"api#0\",code=\"none\"} 2\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Instances_OneSamplePerInstanceAndFamily()
    {
        IReadOnlyList<InstanceStatus> instances =
        [
            new("web-1-0", "web", "1", InstancePhase.Running, true, 42, 9000, 2, false, null, 3.5, 1_048_576) { CpuSeconds = 1.25, CpuLimit = 0.5, MemoryLimit = 268_435_456, OomKills = 1 },
            new("api-3-0", "api", "3", InstancePhase.Pending, false, null, 0, 0, true, "exited 1", 0, 0),
        ];

        var text = new MetricsExposition([new InstanceMetricsSource(() => instances)]).Write();

        Assert.Equal("""
            # HELP slipway_instance_up 1 while the instance's process runs, else 0.
            # TYPE slipway_instance_up gauge
            slipway_instance_up{service="api",revision="3",instance="api-3-0"} 0
            slipway_instance_up{service="web",revision="1",instance="web-1-0"} 1
            # HELP slipway_instance_ready 1 while the instance passes its readiness check and takes traffic, else 0.
            # TYPE slipway_instance_ready gauge
            slipway_instance_ready{service="api",revision="3",instance="api-3-0"} 0
            slipway_instance_ready{service="web",revision="1",instance="web-1-0"} 1
            # HELP slipway_instance_restarts_total Times the supervisor restarted the instance.
            # TYPE slipway_instance_restarts_total counter
            slipway_instance_restarts_total{service="api",revision="3",instance="api-3-0"} 0
            slipway_instance_restarts_total{service="web",revision="1",instance="web-1-0"} 2
            # HELP slipway_instance_crash_looping 1 while the instance restarts too often (in crash-loop backoff), else 0.
            # TYPE slipway_instance_crash_looping gauge
            slipway_instance_crash_looping{service="api",revision="3",instance="api-3-0"} 1
            slipway_instance_crash_looping{service="web",revision="1",instance="web-1-0"} 0
            # HELP slipway_instance_cpu_seconds_total CPU time (user + system) the instance has used, from its cgroup (else its process group); resets when its process is replaced.
            # TYPE slipway_instance_cpu_seconds_total counter
            slipway_instance_cpu_seconds_total{service="api",revision="3",instance="api-3-0"} 0
            slipway_instance_cpu_seconds_total{service="web",revision="1",instance="web-1-0"} 1.25
            # HELP slipway_instance_memory_bytes Memory of the instance at the last sample: its cgroup's working set (usage less inactive file cache), else the resident memory of its process group.
            # TYPE slipway_instance_memory_bytes gauge
            slipway_instance_memory_bytes{service="api",revision="3",instance="api-3-0"} 0
            slipway_instance_memory_bytes{service="web",revision="1",instance="web-1-0"} 1048576
            # HELP slipway_instance_oom_kills_total Processes of the instance the kernel's OOM killer killed at its memory limit.
            # TYPE slipway_instance_oom_kills_total counter
            slipway_instance_oom_kills_total{service="api",revision="3",instance="api-3-0"} 0
            slipway_instance_oom_kills_total{service="web",revision="1",instance="web-1-0"} 1
            # HELP slipway_instance_cpu_limit_cores resources.cpu of the instance's revision: the cores its cgroup's quota allows.
            # TYPE slipway_instance_cpu_limit_cores gauge
            slipway_instance_cpu_limit_cores{service="web",revision="1",instance="web-1-0"} 0.5
            # HELP slipway_instance_memory_limit_bytes resources.memory of the instance's revision.
            # TYPE slipway_instance_memory_limit_bytes gauge
            slipway_instance_memory_limit_bytes{service="web",revision="1",instance="web-1-0"} 268435456

            """, text);
    }

    [Fact]
    public void Write_ApplicationSeries_KeepTheirNamesWithTargetLabelsAndSkipReservedOnes()
    {
        var store = new ApplicationMetricsStore();
        var scrape = PrometheusTextParser.Parse("""
            # HELP payments_failed_total Failed payments.
            # TYPE payments_failed_total counter
            payments_failed_total{instance="eu-1"} 4
            # TYPE latency histogram
            latency_bucket{le="0.1"} 1
            latency_bucket{le="+Inf"} 2
            latency_sum 0.3
            latency_count 2
            slipway_fake 1
            """);
        store.Record(new ScrapeTarget("api", "2", "api-2-0"), scrape, _time.GetUtcNow());
        store.CountError("api", ScrapeErrorReasons.TooLarge);

        var text = new MetricsExposition([new ApplicationMetricsSource(store)]).Write();

        Assert.Equal("""
            # HELP slipway_scrape_errors_total Application metrics scrapes rejected (or, for series_limit, cut short), by service and reason.
            # TYPE slipway_scrape_errors_total counter
            slipway_scrape_errors_total{service="api",reason="too_large"} 1
            # HELP slipway_scrape_series Application series held, over all instances.
            # TYPE slipway_scrape_series gauge
            slipway_scrape_series 6
            # HELP latency latency, scraped from the application.
            # TYPE latency histogram
            latency_bucket{service="api",revision="2",instance="api-2-0",le="0.1"} 1
            latency_bucket{service="api",revision="2",instance="api-2-0",le="+Inf"} 2
            latency_sum{service="api",revision="2",instance="api-2-0"} 0.3
            latency_count{service="api",revision="2",instance="api-2-0"} 2
            # HELP payments_failed_total Failed payments.
            # TYPE payments_failed_total counter
            payments_failed_total{service="api",revision="2",instance="api-2-0",exported_instance="eu-1"} 4

            """, text);
    }

    [Fact]
    public void Write_EdgeRefusals_ByServiceRouteAndReason()
    {
        var store = new RequestMetricsStore(_time);
        var limited = new RequestSample("api", "", "api#1", null, 429, TimeSpan.FromMilliseconds(1), 0, 30, false, false, EdgeRefusal.RateLimited);
        store.Record(in limited);
        store.Record(in limited);
        var maintenance = limited with { Route = "api#0", StatusCode = 503, Refusal = EdgeRefusal.Maintenance };
        store.Record(in maintenance);

        var text = new MetricsExposition([new RequestMetricsSource(store)]).Write();

        Assert.Contains("""
            # TYPE slipway_edge_refusals_total counter
            slipway_edge_refusals_total{service="api",route="api#0",reason="maintenance"} 1
            slipway_edge_refusals_total{service="api",route="api#1",reason="rate-limited"} 2

            """.ReplaceLineEndings("\n"), text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_WafMatches_ByServiceRouteClassAndMode_RevisionsAddedUp()
    {
        var store = new RequestMetricsStore(_time);
        var detected = new RequestSample("api", "1", "api#0", "e1", 200, TimeSpan.FromMilliseconds(1), 0, 30, false, false, WafClass: "xss");
        store.Record(in detected);
        var onTheCanary = detected with { Revision = "2" };
        store.Record(in onTheCanary);
        var blocked = detected with { Revision = "", StatusCode = 403, Refusal = EdgeRefusal.Waf, WafClass = "sqli", WafBlocked = true };
        store.Record(in blocked);

        var text = new MetricsExposition([new RequestMetricsSource(store)]).Write();

        Assert.Contains("slipway_edge_refusals_total{service=\"api\",route=\"api#0\",reason=\"waf\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("""
            # TYPE slipway_waf_matches_total counter
            slipway_waf_matches_total{service="api",route="api#0",class="sqli",mode="block"} 1
            slipway_waf_matches_total{service="api",route="api#0",class="xss",mode="detect"} 2

            """.ReplaceLineEndings("\n"), text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_SourcesWritingTheSameFamily_Throws()
    {
        var store = new RequestMetricsStore(_time);
        var exposition = new MetricsExposition([new RequestMetricsSource(store), new RequestMetricsSource(store)]);

        Assert.Throws<InvalidOperationException>(exposition.Write);
    }

    private static void Record(RequestMetricsStore store, int status, double milliseconds, int times)
    {
        var sample = new RequestSample("api", "2", "api#0", null, status, TimeSpan.FromMilliseconds(milliseconds), 3, 7, false, false);
        for (var i = 0; i < times; i++)
        {
            store.Record(in sample);
        }
    }
}
