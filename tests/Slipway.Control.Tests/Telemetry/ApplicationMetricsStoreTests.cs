using Microsoft.Extensions.Time.Testing;
using Slipway.Control.Telemetry;
using Slipway.Testing;

namespace Slipway.Control.Tests.Telemetry;

public sealed class ApplicationMetricsStoreTests
{
    private static readonly ScrapeTarget Stable = new("api", "1", "api-1-0");
    private static readonly ScrapeTarget Canary = new("api", "2", "api-2-0");
    private static readonly Dictionary<string, string> Any = [];

    private readonly FakeTimeProvider _time = TestClock.Create();

    [Fact]
    public void Select_ByLabels_ReturnsMatchingSeriesWithRecentValuesOldestFirst()
    {
        var store = new ApplicationMetricsStore(recentSamples: 3);
        for (var i = 1; i <= 5; i++)
        {
            Record(store, Stable, $"payments_failed_total{{kind=\"card\"}} {i}\npayments_failed_total{{kind=\"bank\"}} 0");
            Record(store, Canary, $"payments_failed_total{{kind=\"card\"}} {i * 10}");
            _time.Advance(TimeSpan.FromSeconds(15));
        }

        var canary = Assert.Single(store.Select("payments_failed_total", new Dictionary<string, string> { ["revision"] = "2", ["kind"] = "card" }));
        Assert.Equal(50, canary.Value);
        Assert.Equal([30.0, 40, 50], canary.Samples.Select(p => p.Value));
        Assert.Equal(TestClock.Start + TimeSpan.FromSeconds(60), canary.Time);
        Assert.Equal(
            [new("service", "api"), new("revision", "2"), new("instance", "api-2-0"), new("kind", "card")],
            canary.Labels);
        Assert.Equal(3, store.Select("payments_failed_total", Any).Count);
        Assert.Empty(store.Select("payments_failed", Any));
    }

    [Fact]
    public void Record_SeriesMissingFromTheLatestScrape_AreGone()
    {
        var store = new ApplicationMetricsStore();
        Record(store, Stable, "a 1\nb 1");
        Record(store, Stable, "a 2");

        Assert.Empty(store.Select("b", Any));
        Assert.Equal(2, Assert.Single(store.Select("a", Any)).Samples.Count);
        Assert.Equal(1, store.SeriesCount);
    }

    [Fact]
    public void Record_OverallLimit_CountsOtherInstancesAndDropsTheRest()
    {
        var store = new ApplicationMetricsStore(maxSeriesPerInstance: 10, maxSeries: 3);
        Assert.Equal(0, Record(store, Stable, "a 1\nb 1"));

        Assert.Equal(1, Record(store, Canary, "a 1\nb 1"));
        Assert.Equal(3, store.SeriesCount);

        // The same instance scraped again replaces its own series: it does not count against itself.
        Assert.Equal(0, Record(store, Stable, "c 1\nd 1"));
        Assert.Equal(3, store.SeriesCount);
    }

    [Fact]
    public void Retain_ForgetsInstancesNotListed()
    {
        var store = new ApplicationMetricsStore();
        Record(store, Stable, "a 1");
        Record(store, Canary, "a 1");

        store.Retain(new HashSet<string> { "api-2-0" });

        Assert.Equal(["2"], store.Select("a", Any).Select(s => s.Label("revision")));
        Assert.Equal(1, store.SeriesCount);
    }

    [Fact]
    public void Families_SameNameWithAnotherType_KeepsTheFirstTypeOnly()
    {
        var store = new ApplicationMetricsStore();
        Record(store, new ScrapeTarget("api", "1", "api-1-0"), "# TYPE x counter\nx 1");
        Record(store, new ScrapeTarget("web", "1", "web-1-0"), "# TYPE x gauge\nx 2");

        var family = Assert.Single(store.Families());
        Assert.Equal("counter", family.Type);
        Assert.Equal("api", Assert.Single(family.Series).Label("service"));
        Assert.Equal(2, store.Select("x", Any).Count);
    }

    [Fact]
    public void Record_ApplicationLabelsNamedLikeTargetLabels_AreExported()
    {
        var store = new ApplicationMetricsStore();
        Record(store, Stable, "a{service=\"payments\",exported_service=\"other\",revision=\"r9\"} 1");

        var series = Assert.Single(store.Select("a", Any));
        Assert.Equal("api", series.Label("service"));
        Assert.Equal("payments", series.Label("exported_service"));
        Assert.Equal("r9", series.Label("exported_revision"));
        Assert.Equal(5, series.Labels.Count);
    }

    private int Record(ApplicationMetricsStore store, ScrapeTarget target, string text)
    {
        var scrape = PrometheusTextParser.Parse(text);
        Assert.True(scrape.IsValid, scrape.Error);
        return store.Record(target, scrape, _time.GetUtcNow());
    }
}
