namespace Slipway.Control.Telemetry;

/// <summary>
/// A copy of one application series: its sample name (<c>demo_requests_total</c>, <c>x_bucket</c>), its family's
/// type, its labels (service, revision and instance first, then the application's own), and its recent values,
/// oldest first; <see cref="Value"/> and <see cref="Time"/> are the latest.
/// </summary>
internal sealed record ScrapedSeries(string Name, string Family, string Type, IReadOnlyList<KeyValuePair<string, string>> Labels, IReadOnlyList<ScrapedPoint> Samples)
{
    public double Value => Samples[^1].Value;

    public DateTimeOffset Time => Samples[^1].Time;

    /// <summary>The value of one label, or null when the series has no such label.</summary>
    public string? Label(string name)
    {
        foreach (var label in Labels)
        {
            if (label.Key == name)
            {
                return label.Value;
            }
        }

        return null;
    }
}
