using Microsoft.Extensions.Time.Testing;
using Slipway.Control.Telemetry;
using Slipway.Core.Routing;

namespace Slipway.Control.Tests.Telemetry;

public sealed class RequestMetricsStoreTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Counts_requests_errors_and_bytes_per_revision()
    {
        var store = new RequestMetricsStore(_time);
        Record(store, "api", "1", 200, 10, times: 90);
        Record(store, "api", "1", 503, 10, times: 10);
        Record(store, "api", "2", 500, 10, times: 5, proxyFailure: true);

        var stable = store.Last(TimeSpan.FromMinutes(1), "api", "1");
        Assert.Equal(100, stable.Requests);
        Assert.Equal(10, stable.Errors);
        Assert.Equal(0.1, stable.ErrorRate, 9);
        Assert.Equal(100 * 7, stable.ResponseBytes);

        var canary = store.Last(TimeSpan.FromMinutes(1), "api", "2");
        Assert.Equal(5, canary.Requests);
        Assert.Equal(5, canary.ProxyFailures);
        Assert.Equal(105, store.Last(TimeSpan.FromMinutes(1), "api").Requests);
        Assert.Equal(0, store.Last(TimeSpan.FromMinutes(1), "web").Requests);
    }

    [Fact]
    public void A_window_only_sees_its_own_seconds()
    {
        var store = new RequestMetricsStore(_time);
        Record(store, "api", "1", 200, 10, times: 3);
        _time.Advance(TimeSpan.FromSeconds(10));
        Record(store, "api", "1", 500, 10, times: 2);

        Assert.Equal(2, store.Last(TimeSpan.FromSeconds(5), "api").Requests);
        Assert.Equal(5, store.Last(TimeSpan.FromSeconds(11), "api").Requests);
        Assert.Equal(1.0, store.Last(TimeSpan.FromSeconds(5), "api").ErrorRate);
    }

    [Fact]
    public void Old_seconds_leave_the_ring_but_stay_in_the_totals()
    {
        var store = new RequestMetricsStore(_time, TimeSpan.FromSeconds(60));
        Record(store, "api", "1", 200, 10, times: 4);
        _time.Advance(TimeSpan.FromSeconds(60));
        Record(store, "api", "1", 200, 10, times: 1);

        Assert.Equal(1, store.Last(TimeSpan.FromHours(1), "api").Requests);
        var (key, totals, codes) = Assert.Single(store.Totals());
        Assert.Equal(new RequestSeriesKey("api", "1", "api#0"), key);
        Assert.Equal(5, totals.Requests);
        Assert.Equal(5, codes[200]);
    }

    [Fact]
    public void A_reused_slot_starts_from_zero()
    {
        var store = new RequestMetricsStore(_time, TimeSpan.FromSeconds(10));
        Record(store, "api", "1", 200, 10, times: 7);
        _time.Advance(TimeSpan.FromSeconds(10));
        Record(store, "api", "1", 200, 10, times: 1);

        Assert.Equal(1, store.Last(TimeSpan.FromSeconds(1), "api").Requests);
    }

    [Fact]
    public void Quantiles_interpolate_inside_the_bucket_like_histogram_quantile()
    {
        var store = new RequestMetricsStore(_time);
        Record(store, "api", "1", 200, 4, times: 50); // bucket (3 ms, 5 ms]
        Record(store, "api", "1", 200, 40, times: 50); // bucket (30 ms, 50 ms]

        var stats = store.Last(TimeSpan.FromMinutes(1), "api");
        Assert.Equal(5, stats.Quantile(0.5)!.Value.TotalMilliseconds, 6);
        Assert.Equal(30 + (20 * 0.9), stats.Quantile(0.95)!.Value.TotalMilliseconds, 6);
        Assert.Null(RequestStats.Empty(TimeSpan.FromSeconds(1)).Quantile(0.5));
    }

    [Fact]
    public void Latencies_beyond_the_last_bound_land_in_inf()
    {
        var store = new RequestMetricsStore(_time);
        Record(store, "api", "1", 504, 45_000, times: 1);
        var stats = store.Last(TimeSpan.FromMinutes(1), "api");
        Assert.Equal(1, stats.Bucket(LatencyBuckets.Count - 1));
        Assert.Equal(TimeSpan.FromSeconds(30), stats.Quantile(0.99));
    }

    [Fact]
    public void The_series_limit_bounds_memory_and_counts_what_it_drops()
    {
        var store = new RequestMetricsStore(_time, maxSeries: 2);
        Record(store, "a", "1", 200, 1, times: 1);
        Record(store, "b", "1", 200, 1, times: 1);
        Record(store, "c", "1", 200, 1, times: 3);

        Assert.Equal(2, store.Keys().Count);
        Assert.Equal(3, store.DroppedSamples);
    }

    [Fact]
    public void Pruning_forgets_series_silent_for_a_whole_window()
    {
        var store = new RequestMetricsStore(_time, TimeSpan.FromMinutes(1));
        Record(store, "api", "1", 200, 1, times: 1);
        _time.Advance(TimeSpan.FromSeconds(30));
        Record(store, "api", "2", 200, 1, times: 1);
        _time.Advance(TimeSpan.FromSeconds(40));

        Assert.Equal(1, store.Prune());
        Assert.Equal("2", Assert.Single(store.Keys()).Revision);
    }

    [Fact]
    public void Concurrent_recording_loses_no_sample()
    {
        var store = new RequestMetricsStore(TimeProvider.System, TimeSpan.FromSeconds(5));
        const int threads = 4;
        const int each = 50_000;
        Parallel.For(0, threads, _ => Record(store, "api", "1", 200, 1, times: each));

        var (_, totals, codes) = Assert.Single(store.Totals());
        Assert.Equal(threads * each, totals.Requests);
        Assert.Equal(threads * each, codes[200]);
    }

    [Fact]
    public void PruneEvery_OnTheClock_ForgetsSeriesIdleLongerThanTheWindow()
    {
        var store = new RequestMetricsStore(_time, TimeSpan.FromSeconds(60));
        Record(store, "api", "1", 200, 10, times: 1);
        using var pruning = store.PruneEvery(TimeSpan.FromSeconds(30));
        _time.Advance(TimeSpan.FromSeconds(45));
        Record(store, "api", "2", 200, 10, times: 1);

        // Each move ends on a prune (FakeTimeProvider runs a timer with the clock at the end of the move): at 60 s
        // revision 1 has been idle exactly the window, at 90 s longer.
        _time.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(2, store.Keys().Count);

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(["2"], store.Keys().Select(k => k.Revision));
    }

    private static void Record(RequestMetricsStore store, string service, string revision, int status, double milliseconds, int times, bool proxyFailure = false)
    {
        var sample = new RequestSample(service, revision, service + "#0", null, status, TimeSpan.FromMilliseconds(milliseconds), 3, 7, proxyFailure, false);
        for (var i = 0; i < times; i++)
        {
            store.Record(in sample);
        }
    }
}
