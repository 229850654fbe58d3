using Slipway.Core.Alerting;

namespace Slipway.Control.Telemetry;

/// <summary>
/// The application functions of the alert language (<c>app_rate</c>, <c>app_value</c>, <c>app_ratio</c>) over the
/// <see cref="ApplicationMetricsStore"/>: the matching series summed over instances (and over their own labels) per
/// service × revision, as <c>sum by (service, revision)</c> does in PromQL. Alert rules and rollout analysis both
/// read through here, so a business metric means the same in both.
/// </summary>
internal static class ApplicationQuery
{
    /// <summary>One value per service × revision that has one, in the store's order.</summary>
    public static IReadOnlyList<(string Service, string Revision, double Value)> Evaluate(ApplicationMetricsStore store, AlertSelector selector, DateTimeOffset now)
    {
        var first = Grouped(store, selector, selector.Metrics[0]);
        if (selector.Function.Name == "app_value")
        {
            return [.. first.Select(g => (g.Key.Service, g.Key.Revision, g.Value.Sum(s => s.Value)))];
        }

        var from = now - selector.Window!.Value;
        var result = new List<(string, string, double)>();
        if (selector.Function.Name == "app_rate")
        {
            foreach (var (key, series) in first)
            {
                var rates = series.Select(s => Increase(s, from)).Where(i => i.Span > TimeSpan.Zero).Select(i => i.Increase / i.Span.TotalSeconds).ToList();
                if (rates.Count > 0)
                {
                    result.Add((key.Service, key.Revision, rates.Sum()));
                }
            }

            return result;
        }

        var second = Grouped(store, selector, selector.Metrics[1]);
        foreach (var (key, denominators) in second)
        {
            var below = denominators.Sum(s => Increase(s, from).Increase);
            if (below > 0)
            {
                var above = first.GetValueOrDefault(key)?.Sum(s => Increase(s, from).Increase) ?? 0;
                result.Add((key.Service, key.Revision, above / below));
            }
        }

        return result;
    }

    /// <summary>
    /// How much a counter rose between its first and last scrape at or after <paramref name="from"/>, and the time those
    /// scrapes span. A fall is a reset (the process restarted): the value after it is all increase, as in PromQL.
    /// Divided by the span, not the nominal window, so a series younger than the window is not understated.
    /// </summary>
    public static (double Increase, TimeSpan Span) Increase(ScrapedSeries series, DateTimeOffset from)
    {
        ScrapedPoint? previous = null;
        ScrapedPoint? start = null;
        double increase = 0;
        foreach (var point in series.Samples)
        {
            if (point.Time < from)
            {
                continue;
            }

            start ??= point;
            if (previous is { } p)
            {
                increase += point.Value >= p.Value ? point.Value - p.Value : point.Value;
            }

            previous = point;
        }

        return start is { } s && previous is { } last ? (increase, last.Time - s.Time) : (0, TimeSpan.Zero);
    }

    private static Dictionary<(string Service, string Revision), List<ScrapedSeries>> Grouped(ApplicationMetricsStore store, AlertSelector selector, string metric)
    {
        var groups = new Dictionary<(string, string), List<ScrapedSeries>>();
        foreach (var series in store.Select(metric, new Dictionary<string, string>()))
        {
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, value) in series.Labels)
            {
                labels[name] = value;
            }

            if (!selector.Matches(labels))
            {
                continue;
            }

            var key = (labels["service"], labels["revision"]);
            if (!groups.TryGetValue(key, out var list))
            {
                list = [];
                groups[key] = list;
            }

            list.Add(series);
        }

        return groups;
    }
}
