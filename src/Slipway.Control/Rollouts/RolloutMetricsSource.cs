using Slipway.Control.Runtime;
using Slipway.Control.Telemetry;

namespace Slipway.Control.Rollouts;

/// <summary><c>slipway_rollout_step</c> and <c>slipway_revision_weight</c> for <c>/metrics</c>.</summary>
internal sealed class RolloutMetricsSource : IMetricsSource
{
    private readonly LiveManifest _manifest;
    private readonly RolloutController _rollouts;
    private readonly ITrafficControl _traffic;

    public RolloutMetricsSource(LiveManifest manifest, RolloutController rollouts, ITrafficControl traffic)
    {
        _manifest = manifest;
        _rollouts = rollouts;
        _traffic = traffic;
    }

    public void WriteMetrics(MetricsWriter writer)
    {
        var active = _rollouts.Active().ToDictionary(s => s.Service, StringComparer.Ordinal);
        writer.Family("slipway_rollout_step", "gauge", "Step the rollout in progress has reached (canary step, rolling batch; 0 before the first), per service and new revision.");
        foreach (var status in active.Values)
        {
            writer.Sample([new("service", status.Service), new("revision", status.Revision)], status.Step);
        }

        writer.Family("slipway_revision_weight", "gauge", "Share of a service's traffic each revision gets, in percent of the weights.");
        foreach (var name in _manifest.Services.Where(s => s.Value.HasRevisions).Select(s => s.Key).Order(StringComparer.Ordinal))
        {
            var weights = active.TryGetValue(name, out var status)
                ? status.Weights
                : new Dictionary<string, int>(StringComparer.Ordinal) { [_traffic.Current(name).Revision] = 100 };
            var total = Math.Max(1, weights.Values.Sum());
            foreach (var (revision, weight) in weights.OrderBy(w => w.Key, StringComparer.Ordinal))
            {
                writer.Sample([new("service", name), new("revision", revision)], 100.0 * weight / total);
            }
        }
    }
}
