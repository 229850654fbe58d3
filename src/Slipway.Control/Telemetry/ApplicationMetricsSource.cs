namespace Slipway.Control.Telemetry;

/// <summary>
/// Re-exposes the applications' scraped series as they were named, with service, revision and instance labels
/// added, and counts scrape errors. Families whose name starts with <c>slipway_</c> are left out: that prefix
/// is Slipway's own.
/// </summary>
internal sealed class ApplicationMetricsSource : IMetricsSource
{
    public const string ReservedPrefix = "slipway_";

    private readonly ApplicationMetricsStore _store;

    public ApplicationMetricsSource(ApplicationMetricsStore store) => _store = store;

    public void WriteMetrics(MetricsWriter writer)
    {
        writer.Family("slipway_scrape_errors_total", "counter", "Application metrics scrapes rejected (or, for series_limit, cut short), by service and reason.");
        foreach (var (service, reason, count) in _store.Errors())
        {
            writer.Sample([new("service", service), new("reason", reason)], count);
        }

        writer.Family("slipway_scrape_series", "gauge", "Application series held, over all instances.");
        writer.Sample([], _store.SeriesCount);

        foreach (var family in _store.Families())
        {
            if (family.Name.StartsWith(ReservedPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            writer.Family(family.Name, family.Type, family.Help.Length > 0 ? family.Help : $"{family.Name}, scraped from the application.");
            foreach (var series in family.Series)
            {
                writer.Sample([.. series.Labels], series.Value, series.Name[family.Name.Length..]);
            }
        }
    }
}
