using Microsoft.Extensions.Time.Testing;
using Slipway.Control.Telemetry;
using Slipway.Core.Alerting;
using Slipway.Testing;

namespace Slipway.Control.Tests.Telemetry;

public sealed class ApplicationQueryTests
{
    private static readonly ScrapeTarget Stable0 = new("shop", "1", "shop-1-0");
    private static readonly ScrapeTarget Stable1 = new("shop", "1", "shop-1-1");
    private static readonly ScrapeTarget Canary = new("shop", "2", "shop-2-0");

    private readonly FakeTimeProvider _time = TestClock.Create();
    private readonly ApplicationMetricsStore _store = new();

    private void Record(ScrapeTarget target, string text) => _store.Record(target, PrometheusTextParser.Parse(text + "\n"), _time.GetUtcNow());

    private IReadOnlyList<(string Service, string Revision, double Value)> Evaluate(string selector) =>
        AlertExpressionParser.TryParseSelector(selector, out var parsed, out var error)
            ? ApplicationQuery.Evaluate(_store, parsed!, _time.GetUtcNow())
            : throw new InvalidOperationException(error);

    [Fact]
    public void AppRate_SumsInstancesPerRevision_AndCountsAResetAsIncrease()
    {
        // Every 10 s: stable-0 +1, stable-1 +2, restarting after 30 s (10, 20, 30, then 5: a reset worth 5, then 15).
        double[] second = [10, 20, 30, 5, 15];
        for (var i = 0; i < second.Length; i++)
        {
            Record(Stable0, $"payments_total {i}");
            Record(Stable1, $"payments_total {second[i]}");
            Record(Canary, $"payments_total {i * 100}");
            if (i < second.Length - 1)
            {
                _time.Advance(TimeSpan.FromSeconds(10));
            }
        }

        var rates = Evaluate("app_rate(\"payments_total\")[5m]");

        // stable: (4 + (10 + 10 + 5 + 10)) / 40 s; canary: 400 / 40 s.
        Assert.Equal([("shop", "1", 39.0 / 40), ("shop", "2", 10.0)], rates);
    }

    [Fact]
    public void AppRate_DividesByTheSpanItCovers_AndNeedsTwoScrapesInTheWindow()
    {
        Record(Canary, "jobs_total 0");
        Assert.Empty(Evaluate("app_rate(\"jobs_total\")[1m]"));

        _time.Advance(TimeSpan.FromSeconds(15));
        Record(Canary, "jobs_total 30");

        // Two scrapes 15 s apart in a 1 m window: 2/s, not 30 / 60 s.
        Assert.Equal(2.0, Assert.Single(Evaluate("app_rate(\"jobs_total\")[1m]")).Value);

        // Scrapes older than the window are not read: one left is no rate.
        _time.Advance(TimeSpan.FromSeconds(50));
        Record(Canary, "jobs_total 30");
        Assert.Empty(Evaluate("app_rate(\"jobs_total\")[20s]"));
    }

    [Fact]
    public void AppValue_SumsLatestGaugesOfMatchingSeries()
    {
        Record(Stable0, "queue_depth{queue=\"mail\"} 3\nqueue_depth{queue=\"sms\"} 100");
        Record(Stable1, "queue_depth{queue=\"mail\"} 4");

        Assert.Equal([("shop", "1", 7.0)], Evaluate("app_value(\"queue_depth\", queue=\"mail\")"));
        Assert.Equal([("shop", "1", 107.0)], Evaluate("app_value(\"queue_depth\")"));
        Assert.Empty(Evaluate("app_value(\"queue_depth\", instance=\"shop-9-9\")"));
    }

    [Fact]
    public void AppRatio_DividesIncreases_AndHasNoValueWhileTheDenominatorIsFlat()
    {
        Record(Canary, "payments_failed_total 0\npayments_total 10");
        Record(Stable0, "payments_total 10");
        _time.Advance(TimeSpan.FromSeconds(10));
        Record(Canary, "payments_failed_total 3\npayments_total 20");
        Record(Stable0, "payments_total 10");

        // Stable serves no failed counter and no new payments: no ratio for it; the canary failed 3 of 10.
        Assert.Equal([("shop", "2", 0.3)], Evaluate("app_ratio(\"payments_failed_total\", \"payments_total\")[1m]"));
    }
}
