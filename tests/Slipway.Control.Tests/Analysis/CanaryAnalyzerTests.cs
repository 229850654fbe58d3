using Microsoft.Extensions.Time.Testing;
using Slipway.Control.Analysis;
using Slipway.Control.Telemetry;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Routing;

namespace Slipway.Control.Tests.Analysis;

public sealed class CanaryAnalyzerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));
    private readonly RequestMetricsStore _store;

    public CanaryAnalyzerTests() => _store = new RequestMetricsStore(_time);

    [Fact]
    public void Too_few_requests_is_inconclusive_not_a_pass()
    {
        Record("2", 200, 5, times: 19);
        var result = Analyze(new AnalysisSpec { MinRequests = 20 });
        Assert.Equal(AnalysisVerdict.Inconclusive, result.Verdict);
        Assert.Contains("19 requests", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void An_error_rate_over_the_maximum_fails_with_its_figures()
    {
        Record("1", 200, 5, times: 1000);
        Record("2", 200, 5, times: 50);
        Record("2", 500, 5, times: 50);
        var result = Analyze(new AnalysisSpec());
        Assert.Equal(AnalysisVerdict.Fail, result.Verdict);
        Assert.Contains("error rate 50% (50 of 100) > 1%", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_healthy_canary_like_stable_passes()
    {
        Record("1", 200, 5, times: 2000);
        Record("1", 200, 40, times: 100);
        Record("2", 200, 5, times: 200);
        Record("2", 200, 40, times: 10);
        var result = Analyze(new AnalysisSpec { MaxP95 = TimeSpan.FromMilliseconds(100) });
        Assert.Equal(AnalysisVerdict.Pass, result.Verdict);
        Assert.All(result.Checks, c => Assert.Equal(AnalysisVerdict.Pass, c.Verdict));
    }

    [Fact]
    public void A_regression_under_the_absolute_maximum_fails_against_stable()
    {
        Record("1", 200, 5, times: 20_000);
        Record("1", 500, 5, times: 10);
        Record("2", 200, 5, times: 2000);
        Record("2", 500, 5, times: 16); // 0.8 %: under the 1 % maximum, sixteen times stable's 0.05 %
        var result = Analyze(new AnalysisSpec());
        Assert.Equal(AnalysisVerdict.Fail, result.Verdict);
        var check = Assert.Single(result.Checks, c => c.Verdict == AnalysisVerdict.Fail);
        Assert.Equal("error-rate-vs-stable", check.Name);
        Assert.Contains("p=<0.0001", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_slower_canary_fails_the_latency_comparison_with_its_p_value()
    {
        Record("1", 200, 8, times: 500);
        Record("2", 200, 25, times: 100);
        var result = Analyze(new AnalysisSpec());
        var check = Assert.Single(result.Checks, c => c.Name == "latency-vs-stable");
        Assert.Equal(AnalysisVerdict.Fail, check.Verdict);
        Assert.Contains("P(canary slower)=1.00", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cold_canary_only_a_little_slower_than_stable_is_not_failed()
    {
        // Measured in bench/rollout.sh: a just-started instance, P(canary slower) about 0.7 with p < 0.0001.
        Record("1", 200, 4, times: 1000);
        Record("1", 200, 8, times: 1000);
        Record("2", 200, 4, times: 60);
        Record("2", 200, 8, times: 100);
        Record("2", 200, 12, times: 40);
        var check = Assert.Single(Analyze(new AnalysisSpec()).Checks, c => c.Name == "latency-vs-stable");
        Assert.Equal(AnalysisVerdict.Pass, check.Verdict);
        Assert.Contains("P(canary slower)=0.6", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_window_all_warm_up_judges_errors_but_not_latency()
    {
        Record("1", 200, 4, times: 1000);
        Record("2", 200, 60, times: 100);
        var result = new CanaryAnalyzer(new AnalysisSpec { Warmup = TimeSpan.FromSeconds(10), MaxP95 = TimeSpan.FromMilliseconds(20) })
            .Evaluate(Stats("2"), Stats("1"), warmCanary: null, warmStable: null);
        Assert.Equal(AnalysisVerdict.Pass, result.Verdict);
        var latency = Assert.Single(result.Checks, c => c.Name == "latency");
        Assert.Equal(AnalysisVerdict.Inconclusive, latency.Verdict);
        Assert.Contains("not judged during the new revision's 10s warm-up", latency.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Checks, c => c.Name is "p95" or "latency-vs-stable");
    }

    [Fact]
    public void Errors_during_warm_up_still_fail()
    {
        Record("1", 200, 4, times: 1000);
        Record("2", 500, 4, times: 50);
        Record("2", 200, 4, times: 50);
        var result = new CanaryAnalyzer(new AnalysisSpec()).Evaluate(Stats("2"), Stats("1"), warmCanary: null, warmStable: null);
        Assert.Equal(AnalysisVerdict.Fail, result.Verdict);
        Assert.Contains("error rate 50% (50 of 100) > 1%", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Latency_is_judged_on_the_warm_requests_only()
    {
        // Cold: the whole window has a slow start; warm: after the warm-up the canary is as slow as stable is fast.
        Record("1", 200, 4, times: 1000);
        Record("2", 200, 60, times: 100);
        var cold = Stats("2");
        var stable = Stats("1");
        var warm = new RequestMetricsStore(_time);
        Record(warm, "1", 200, 4, times: 500);
        Record(warm, "2", 200, 4, times: 50);

        var result = new CanaryAnalyzer(new AnalysisSpec()).Evaluate(cold, stable, warm.Last(TimeSpan.FromMinutes(1), "api", "2"), warm.Last(TimeSpan.FromMinutes(1), "api", "1"));

        Assert.Equal(AnalysisVerdict.Pass, result.Verdict);
        Assert.Equal(AnalysisVerdict.Pass, Assert.Single(result.Checks, c => c.Name == "latency-vs-stable").Verdict);
        Assert.Equal(AnalysisVerdict.Fail, new CanaryAnalyzer(new AnalysisSpec()).Evaluate(cold, stable).Verdict);
    }

    [Fact]
    public void Too_few_warm_requests_on_either_side_leave_latency_unjudged()
    {
        Record("1", 200, 4, times: 1000);
        Record("2", 200, 60, times: 100);
        var warm = new RequestMetricsStore(_time);
        Record(warm, "1", 200, 4, times: 500);
        Record(warm, "2", 200, 60, times: 19);
        var fewCanary = new CanaryAnalyzer(new AnalysisSpec { MinRequests = 20 })
            .Evaluate(Stats("2"), Stats("1"), warm.Last(TimeSpan.FromMinutes(1), "api", "2"), warm.Last(TimeSpan.FromMinutes(1), "api", "1"));
        Assert.Equal(AnalysisVerdict.Pass, fewCanary.Verdict);
        Assert.Contains("19 requests to the new revision after its warm-up, 20 needed to judge latency", fewCanary.Summary, StringComparison.Ordinal);

        var fewStable = new CanaryAnalyzer(new AnalysisSpec { MinRequests = 20 })
            .Evaluate(Stats("2"), Stats("1"), Stats("2"), warm.Last(TimeSpan.FromMinutes(1), "api", "none"));
        Assert.Equal(AnalysisVerdict.Pass, fewStable.Verdict);
        Assert.Equal(AnalysisVerdict.Inconclusive, Assert.Single(fewStable.Checks, c => c.Name == "latency-vs-stable").Verdict);
    }

    [Fact]
    public void The_p95_limit_fails_a_slow_canary()
    {
        Record("2", 200, 900, times: 100);
        var result = Analyze(new AnalysisSpec { MaxP95 = TimeSpan.FromMilliseconds(500), CompareToStable = false });
        Assert.Equal(AnalysisVerdict.Fail, result.Verdict);
        Assert.StartsWith("p95 ", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Mann_whitney_matches_the_textbook_statistic_on_tied_data()
    {
        // Canary: 3 requests in the 5 ms bucket and 2 in the 20 ms one; stable: 4 at 5 ms, 1 at 2 ms.
        // Pooled ranks: 2 ms → 1; 5 ms (7 ties) → 2..8, mid-rank 5; 20 ms (2 ties) → 9..10, mid-rank 9.5.
        // R(canary) = 3·5 + 2·9.5 = 34, U = 34 − 15 = 19, P(slower) = 19/25.
        Record("2", 200, 4, times: 3);
        Record("2", 200, 18, times: 2);
        Record("1", 200, 4, times: 4);
        Record("1", 200, 1.5, times: 1);
        var p = MannWhitney.CanarySlower(Stats("2"), Stats("1"), out var slower);
        Assert.Equal(19.0 / 25, slower, 9);
        // Tie-corrected variance: 25/12·(11 − (336 + 6)/90) = 15; z = (19 − 12.5 − 0.5)/√15.
        Assert.Equal(NormalDistribution.UpperTail(6 / Math.Sqrt(15)), p, 9);
    }

    [Theory]
    [InlineData(0, 0.5)]
    [InlineData(1.959963985, 0.025)]
    [InlineData(2.326347874, 0.01)]
    [InlineData(-1.644853627, 0.95)]
    public void The_normal_tail_is_accurate(double z, double expected) =>
        Assert.Equal(expected, NormalDistribution.UpperTail(z), 6);

    private AnalysisResult Analyze(AnalysisSpec spec) => new CanaryAnalyzer(spec).Evaluate(Stats("2"), Stats("1"));

    private RequestStats Stats(string revision) => _store.Last(TimeSpan.FromMinutes(1), "api", revision);

    private void Record(string revision, int status, double milliseconds, int times) => Record(_store, revision, status, milliseconds, times);

    private static void Record(RequestMetricsStore store, string revision, int status, double milliseconds, int times)
    {
        var sample = new RequestSample("api", revision, "api#0", null, status, TimeSpan.FromMilliseconds(milliseconds), 0, 0, status >= 500, false);
        for (var i = 0; i < times; i++)
        {
            store.Record(in sample);
        }
    }
}
