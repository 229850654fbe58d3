using Slipway.Control.Telemetry;

namespace Slipway.Control.Autoscaling;

/// <summary>The autoscaler in <c>/metrics</c>: per service the replicas it has and wants, its bounds, each target and its reading.</summary>
internal sealed partial class Autoscaler : IMetricsSource
{
    public void WriteMetrics(MetricsWriter writer)
    {
        List<(string Service, AutoscaleStatus Status, long Up, long Down)> services;
        lock (_lock)
        {
            services = [.. _services.Where(s => s.Value.Status is not null).OrderBy(s => s.Key, StringComparer.Ordinal)
                .Select(s => (s.Key, s.Value.Status!, s.Value.ScaledUp, s.Value.ScaledDown))];
        }

        Write(writer, services, "slipway_autoscaler_desired_replicas", "The replicas the autoscaler wants at its last look.", s => s.Desired);
        Write(writer, services, "slipway_autoscaler_current_replicas", "The replicas the service had at the autoscaler's last look.", s => s.Current);
        Write(writer, services, "slipway_autoscaler_min_replicas", "The lower bound in force (autoscale.min, or a schedule entry's).", s => s.Min);
        Write(writer, services, "slipway_autoscaler_max_replicas", "The upper bound in force (autoscale.max, or a schedule entry's).", s => s.Max);
        Write(writer, services, "slipway_autoscaler_held", "1 while the autoscaler leaves the service alone (a rollout, a target it cannot read), else 0.", s => s.Held is null ? 0 : 1);

        writer.Family("slipway_autoscaler_scale_events_total", "counter", "Times the autoscaler changed the service's replicas, by direction.");
        foreach (var (service, _, up, down) in services)
        {
            writer.Sample([new("service", service), new("direction", "up")], up);
            writer.Sample([new("service", service), new("direction", "down")], down);
        }

        writer.Family("slipway_autoscaler_metric_value", "gauge", "Each target's reading at the last look: percent of the 100% for cpu and memory, else the average per instance.");
        foreach (var (service, status, _, _) in services)
        {
            foreach (var metric in status.Metrics.Where(m => m.Current is not null))
            {
                writer.Sample([new("service", service), new("metric", metric.Name)], metric.Current!.Value);
            }
        }

        writer.Family("slipway_autoscaler_metric_target", "gauge", "Each target's value: percent of the 100% for cpu and memory, else the average per instance.");
        foreach (var (service, status, _, _) in services)
        {
            foreach (var metric in status.Metrics)
            {
                writer.Sample([new("service", service), new("metric", metric.Name)], metric.Target);
            }
        }
    }

    private static void Write(MetricsWriter writer, List<(string Service, AutoscaleStatus Status, long Up, long Down)> services, string name, string help, Func<AutoscaleStatus, double> value)
    {
        writer.Family(name, "gauge", help);
        foreach (var (service, status, _, _) in services)
        {
            writer.Sample([new("service", service)], value(status));
        }
    }
}
