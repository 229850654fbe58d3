namespace Slipway.Control.Telemetry;

/// <summary>
/// The series that applications serve on their <c>metrics.path</c>, per instance, with their last
/// <see cref="RecentSamples"/> scraped values; read by <c>/metrics</c> and, through <see cref="Select"/>, by alert
/// rules and rollout analysis. Memory is bounded: at most <see cref="MaxSeriesPerInstance"/> series per
/// instance and <see cref="MaxSeries"/> overall (the rest of a scrape is dropped and counted), a fixed ring
/// per series, and an instance's series go when it stops being scraped. A series missing from an instance's
/// latest scrape is gone (stale, as Prometheus treats it). Not on the request path: one lock guards it all.
/// </summary>
internal sealed class ApplicationMetricsStore
{
    /// <summary>Labels Slipway sets on every series; an application label of the same name is kept as <c>exported_NAME</c>.</summary>
    public static readonly string[] TargetLabels = ["service", "revision", "instance"];

    private readonly Lock _lock = new();
    private readonly Dictionary<string, TargetState> _targets = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Service, string Reason), long> _errors = [];
    private int _total;

    public ApplicationMetricsStore(int maxSeriesPerInstance = 10_000, int maxSeries = 100_000, int recentSamples = 240)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSeriesPerInstance, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSeries, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(recentSamples, 1);
        MaxSeriesPerInstance = maxSeriesPerInstance;
        MaxSeries = maxSeries;
        RecentSamples = recentSamples;
    }

    public int MaxSeriesPerInstance { get; }

    public int MaxSeries { get; }

    /// <summary>Values kept per series (240 at a 15 s interval is an hour).</summary>
    public int RecentSamples { get; }

    /// <summary>Series held now, over all instances.</summary>
    public int SeriesCount
    {
        get
        {
            lock (_lock)
            {
                return _total;
            }
        }
    }

    /// <summary>
    /// Replaces <paramref name="target"/>'s series with those of a valid scrape taken at <paramref name="time"/>,
    /// keeping each surviving series' recent values. Returns how many samples a series limit left out.
    /// </summary>
    public int Record(ScrapeTarget target, ParsedScrape scrape, DateTimeOffset time)
    {
        if (!scrape.IsValid)
        {
            throw new ArgumentException("only a valid scrape is recorded", nameof(scrape));
        }

        lock (_lock)
        {
            var previous = _targets.GetValueOrDefault(target.Instance);
            var room = Math.Min(MaxSeriesPerInstance, MaxSeries - (_total - (previous?.Series.Count ?? 0)));
            var next = new TargetState(target);
            var dropped = 0;
            foreach (var family in scrape.Families)
            {
                next.Families.TryAdd(family.Name, (family.Type, family.Help));
                foreach (var sample in family.Samples)
                {
                    var labels = Labelled(target, sample.Labels);
                    var key = Key(sample.Name, labels);
                    if (next.Series.Count >= room)
                    {
                        dropped++;
                        continue;
                    }

                    if (previous is null || !previous.Series.TryGetValue(key, out var series))
                    {
                        series = new ApplicationSeries(sample.Name, family.Name, labels, RecentSamples);
                    }

                    series.Add(new ScrapedPoint(time, sample.Value));
                    next.Series[key] = series;
                }
            }

            _total += next.Series.Count - (previous?.Series.Count ?? 0);
            _targets[target.Instance] = next;
            return dropped;
        }
    }

    /// <summary>Forgets every instance not in <paramref name="instances"/> (stopped, replaced, no longer ready).</summary>
    public void Retain(IReadOnlySet<string> instances)
    {
        lock (_lock)
        {
            foreach (var (id, state) in _targets.Where(t => !instances.Contains(t.Key)).ToList())
            {
                _targets.Remove(id);
                _total -= state.Series.Count;
            }
        }
    }

    public void CountError(string service, string reason)
    {
        lock (_lock)
        {
            _errors[(service, reason)] = _errors.GetValueOrDefault((service, reason)) + 1;
        }
    }

    /// <summary>Scrape errors so far per service and reason, in a stable order.</summary>
    public IReadOnlyList<(string Service, string Reason, long Count)> Errors()
    {
        lock (_lock)
        {
            return [.. _errors.OrderBy(e => e.Key.Service, StringComparer.Ordinal).ThenBy(e => e.Key.Reason, StringComparer.Ordinal)
                .Select(e => (e.Key.Service, e.Key.Reason, e.Value))];
        }
    }

    /// <summary>
    /// The series named <paramref name="metric"/> (a sample name: <c>payments_failed_total</c>, <c>latency_bucket</c>)
    /// whose labels include every pair in <paramref name="labelEquals"/> (service, revision and instance among them),
    /// each with its recent values.
    /// </summary>
    public IReadOnlyList<ScrapedSeries> Select(string metric, IReadOnlyDictionary<string, string> labelEquals)
    {
        lock (_lock)
        {
            var result = new List<ScrapedSeries>();
            foreach (var target in Ordered())
            {
                foreach (var series in target.Series.Values)
                {
                    if (series.Name == metric && labelEquals.All(m => series.Labels.Any(l => l.Key == m.Key && l.Value == m.Value)))
                    {
                        result.Add(series.Copy(target.Families[series.Family].Type));
                    }
                }
            }

            return result;
        }
    }

    /// <summary>
    /// Every family across instances, by name, each written once: the first instance's type and help win; an
    /// instance that serves the same name with another type is left out of it (its series stay selectable).
    /// </summary>
    public IReadOnlyList<ScrapedFamily> Families()
    {
        lock (_lock)
        {
            var families = new SortedDictionary<string, (string Type, string Help, List<ScrapedSeries> Series)>(StringComparer.Ordinal);
            foreach (var target in Ordered())
            {
                foreach (var series in target.Series.Values)
                {
                    var (type, help) = target.Families[series.Family];
                    if (!families.TryGetValue(series.Family, out var family))
                    {
                        family = (type, help, []);
                        families[series.Family] = family;
                    }

                    if (family.Type == type)
                    {
                        family.Series.Add(series.Copy(type));
                    }
                }
            }

            return [.. families.Select(f => new ScrapedFamily(f.Key, f.Value.Type, f.Value.Help, f.Value.Series))];
        }
    }

    private IEnumerable<TargetState> Ordered() => _targets.Values
        .OrderBy(t => t.Target.Service, StringComparer.Ordinal)
        .ThenBy(t => t.Target.Revision, StringComparer.Ordinal)
        .ThenBy(t => t.Target.Instance, StringComparer.Ordinal);

    private static List<KeyValuePair<string, string>> Labelled(ScrapeTarget target, IReadOnlyList<KeyValuePair<string, string>> own)
    {
        var labels = new List<KeyValuePair<string, string>>(own.Count + 3)
        {
            new("service", target.Service),
            new("revision", target.Revision),
            new("instance", target.Instance),
        };
        foreach (var label in own)
        {
            var name = TargetLabels.Contains(label.Key) ? "exported_" + label.Key : label.Key;
            if (!labels.Exists(l => l.Key == name))
            {
                // An application label literally named exported_service beside service: the first one written wins.
                labels.Add(new(name, label.Value));
            }
        }

        return labels;
    }

    private static string Key(string name, List<KeyValuePair<string, string>> labels) =>
        name + "\0" + string.Join("\0", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "\u0001" + l.Value));

    private sealed class TargetState(ScrapeTarget target)
    {
        public ScrapeTarget Target { get; } = target;

        /// <summary>Family name → type and help, as this instance declared them.</summary>
        public Dictionary<string, (string Type, string Help)> Families { get; } = new(StringComparer.Ordinal);

        /// <summary>Series by name and labels, in scrape order.</summary>
        public Dictionary<string, ApplicationSeries> Series { get; } = new(StringComparer.Ordinal);
    }
}
