namespace Slipway.Control.Telemetry;

/// <summary>
/// Something that contributes metric families to <c>/metrics</c> (requests, instances, rollouts, alerts,
/// backups, the autoscaler). Called on every scrape; writes current values only and must not block.
/// </summary>
internal interface IMetricsSource
{
    void WriteMetrics(MetricsWriter writer);
}
