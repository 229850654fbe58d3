namespace Slipway.Control.Telemetry;

/// <summary>
/// One stored application series: its identity and a ring of its most recent scraped values. Mutable; only
/// <see cref="ApplicationMetricsStore"/> touches it, under its lock.
/// </summary>
internal sealed class ApplicationSeries
{
    private readonly ScrapedPoint[] _ring;
    private int _next;
    private int _count;

    public ApplicationSeries(string name, string family, IReadOnlyList<KeyValuePair<string, string>> labels, int capacity)
    {
        Name = name;
        Family = family;
        Labels = labels;
        _ring = new ScrapedPoint[capacity];
    }

    public string Name { get; }

    public string Family { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; }

    public void Add(ScrapedPoint point)
    {
        _ring[_next] = point;
        _next = (_next + 1) % _ring.Length;
        _count = Math.Min(_count + 1, _ring.Length);
    }

    public ScrapedSeries Copy(string type)
    {
        var points = new ScrapedPoint[_count];
        var first = (_next - _count + _ring.Length) % _ring.Length;
        for (var i = 0; i < _count; i++)
        {
            points[i] = _ring[(first + i) % _ring.Length];
        }

        return new ScrapedSeries(Name, Family, type, Labels, points);
    }
}
