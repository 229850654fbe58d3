using System.Text;

namespace Slipway.Control.Telemetry;

/// <summary>
/// <c>/metrics</c>: every registered <see cref="IMetricsSource"/> in order, in the Prometheus text format 0.0.4.
/// The daemon builds the list once; a new source is one more entry in it.
/// </summary>
internal sealed class MetricsExposition
{
    private readonly IReadOnlyList<IMetricsSource> _sources;

    public MetricsExposition(IReadOnlyList<IMetricsSource> sources) => _sources = sources;

    public string Write()
    {
        var text = new StringBuilder(16 * 1024);
        var writer = new MetricsWriter(text);
        foreach (var source in _sources)
        {
            source.WriteMetrics(writer);
        }

        return text.ToString();
    }
}
