using Microsoft.Extensions.Time.Testing;
using Slipway.Control.Analysis;
using Slipway.Control.Telemetry;
using Slipway.Core.Manifest.Model;
using Slipway.Testing;

namespace Slipway.Control.Tests.Analysis;

public sealed class MetricAnalyzerTests
{
    private const string FailedShare = "app_ratio(\"payments_failed_total\", \"payments_total\")[1m]";

    private readonly FakeTimeProvider _time = TestClock.Create();
    private readonly ApplicationMetricsStore _store = new();

    /// <summary>Two scrapes 10 s apart of one instance of <paramref name="revision"/>: <paramref name="failed"/> of 100 payments failed.</summary>
    private void Payments(string revision, int failed)
    {
        var target = new ScrapeTarget("shop", revision, $"shop-{revision}-0");
        _store.Record(target, PrometheusTextParser.Parse("payments_failed_total 0\npayments_total 0\n"), _time.GetUtcNow() - TimeSpan.FromSeconds(10));
        _store.Record(target, PrometheusTextParser.Parse($"payments_failed_total {failed}\npayments_total 100\n"), _time.GetUtcNow());
    }

    private IReadOnlyList<AnalysisCheck> Evaluate(params AnalysisMetricSpec[] metrics) =>
        new MetricAnalyzer(metrics).Evaluate(_store, "shop", canary: "2", stable: "1", _time.GetUtcNow());

    private static AnalysisResult Requests(AnalysisVerdict verdict) => new(verdict, [new AnalysisCheck("error-rate", verdict, "error rate 0% ≤ 1%")], 100, 400);

    [Fact]
    public void Evaluate_CanaryOverMax_FailsWithItsFigures()
    {
        Payments("1", 1);
        Payments("2", 30);

        var check = Assert.Single(Evaluate(new AnalysisMetricSpec { Name = "failed-payments", Expr = FailedShare, Max = 0.05 }));

        Assert.Equal(AnalysisVerdict.Fail, check.Verdict);
        Assert.Equal("failed-payments 0.3 > max 0.05", check.Detail);
    }

    [Fact]
    public void Evaluate_MaxOverStable_ComparesWithTheStableRevision()
    {
        Payments("1", 2);
        Payments("2", 4);

        var spec = new AnalysisMetricSpec { Name = "failed-payments", Expr = FailedShare, MaxOverStable = 0.01 };
        var check = Assert.Single(Evaluate(spec));

        Assert.Equal(AnalysisVerdict.Fail, check.Verdict);
        Assert.Equal("failed-payments 0.04 exceeds stable 0.02 by more than 0.01", check.Detail);
        Assert.Equal(AnalysisVerdict.Pass, Assert.Single(Evaluate(spec with { MaxOverStable = 0.05 })).Verdict);
    }

    [Fact]
    public void Evaluate_NoValueForTheCanaryYet_IsInconclusive()
    {
        Payments("1", 2);

        var check = Assert.Single(Evaluate(new AnalysisMetricSpec { Name = "failed-payments", Expr = FailedShare, Max = 0.05 }));

        Assert.Equal(AnalysisVerdict.Inconclusive, check.Verdict);
    }

    [Fact]
    public void Evaluate_WithinLimits_PassesWithStableForReference()
    {
        Payments("1", 2);
        Payments("2", 3);

        var check = Assert.Single(Evaluate(new AnalysisMetricSpec { Name = "failed-payments", Expr = FailedShare, Max = 0.05, Min = 0 }));

        Assert.Equal((AnalysisVerdict.Pass, "failed-payments 0.03 (stable 0.02) within max 0.05, min 0"), (check.Verdict, check.Detail));
    }

    [Theory]
    [InlineData("Pass", "Fail", "Fail")]
    [InlineData("Inconclusive", "Fail", "Fail")]
    [InlineData("Fail", "Pass", "Fail")]
    [InlineData("Pass", "Inconclusive", "Inconclusive")]
    [InlineData("Pass", "Pass", "Pass")]
    public void Merge_AnyFailureFails_ElseAnyInconclusiveStaysInconclusive(string requestsVerdict, string metricVerdict, string mergedVerdict)
    {
        var (requests, metric, merged) = (Enum.Parse<AnalysisVerdict>(requestsVerdict), Enum.Parse<AnalysisVerdict>(metricVerdict), Enum.Parse<AnalysisVerdict>(mergedVerdict));
        var result = MetricAnalyzer.Merge(Requests(requests), [new AnalysisCheck("failed-payments", metric, "failed-payments 0.3 > max 0.05")]);

        Assert.Equal(merged, result.Verdict);
        Assert.Equal(["error-rate", "failed-payments"], result.Checks.Select(c => c.Name));
        Assert.Equal((100L, 400L), (result.CanaryRequests, result.StableRequests));
    }
}
