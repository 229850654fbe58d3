using Slipway.Control.Supervision;
using Slipway.Control.Telemetry;
using Slipway.Core.Routing;

namespace Slipway.Control.Autoscaling;

/// <summary>
/// What each instance of a service reads for one <see cref="ScalingMetric"/>, from the same numbers the rest of
/// Slipway shows: CPU and memory from the instance's own samples (its cgroup, else /proc), requests from the proxy's
/// store and its in-flight counts, gauges from the application-metrics scraper. An instance that cannot have a value
/// (not ready for the proxy's numbers, not scraped yet, no process) gets none, and the calculator treats it as
/// missing, as the HorizontalPodAutoscaler does.
/// </summary>
internal sealed class MetricReader
{
    private readonly RequestMetricsStore _requests;
    private readonly ApplicationMetricsStore? _applications;
    private readonly IEndpointLoad _load;

    public MetricReader(RequestMetricsStore requests, ApplicationMetricsStore? applications, IEndpointLoad load)
    {
        _requests = requests;
        _applications = applications;
        _load = load;
    }

    /// <param name="window">How far back request rates look.</param>
    /// <param name="stale">How old an application gauge may be and still count (a few scrape intervals).</param>
    /// <returns>The samples, or null and why (the metric cannot be read at all).</returns>
    public (IReadOnlyList<InstanceSample>? Samples, string? Error) Read(ScalingMetric metric, string service, IReadOnlyList<InstanceStatus> instances, TimeSpan window, TimeSpan stale, DateTimeOffset now)
    {
        switch (metric.Kind)
        {
            case ScalingMetricKind.Cpu:
                return ([.. instances.Select(i => Sample(i, i.Pid is not null && i.CpuSampledFrom is not null ? i.CpuPercent / 100 : null, i.CpuSampledFrom, i.CpuLimit ?? 1))], null);
            case ScalingMetricKind.Memory:
                if (instances.FirstOrDefault(i => i.MemoryLimit is null) is { } unlimited)
                {
                    return (null, $"revision {unlimited.Revision} has no resources.memory to measure memory against");
                }

                return ([.. instances.Select(i => Sample(i, i.Pid is not null && i.ResidentBytes > 0 ? i.ResidentBytes : null, null, i.MemoryLimit!.Value))], null);
            case ScalingMetricKind.Rps:
                var rates = instances.Where(i => i.Ready).GroupBy(i => i.Revision, StringComparer.Ordinal).ToDictionary(
                    g => g.Key,
                    g => RatePerSecond(service, g.Key, window) / g.Count(),
                    StringComparer.Ordinal);
                return ([.. instances.Select(i => Sample(i, i.Ready ? rates[i.Revision] : null))], null);
            case ScalingMetricKind.InFlight:
                return ([.. instances.Select(i => Sample(i, i.Ready ? _load.InFlight(i.Id) : null))], null);
            default:
                return App(metric, service, instances, stale, now);
        }
    }

    private (IReadOnlyList<InstanceSample>? Samples, string? Error) App(ScalingMetric metric, string service, IReadOnlyList<InstanceStatus> instances, TimeSpan stale, DateTimeOffset now)
    {
        if (_applications is null)
        {
            return (null, "application metrics are not scraped by this daemon");
        }

        var byInstance = _applications.Select(metric.Name, new Dictionary<string, string> { ["service"] = service })
            .Where(s => s.Samples.Count > 0 && now - s.Time <= stale && double.IsFinite(s.Value))
            .GroupBy(s => s.Label("instance") ?? "", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(s => s.Value), StringComparer.Ordinal);
        if (byInstance.Count == 0)
        {
            return (null, $"no instance of {service} serves {metric.Name} on metrics.path (or its last scrape is older than {Core.Primitives.DurationText.Format(stale)})");
        }

        return ([.. instances.Select(i => Sample(i, byInstance.TryGetValue(i.Id, out var value) ? value : null))], null);
    }

    private double RatePerSecond(string service, string revision, TimeSpan window)
    {
        var stats = _requests.Last(window, service, revision);
        return stats.Window <= TimeSpan.Zero ? 0 : stats.Requests / stats.Window.TotalSeconds;
    }

    private static InstanceSample Sample(InstanceStatus instance, double? value, DateTimeOffset? from = null, double request = 0) =>
        new(instance.Id, StateOf(instance.Phase), instance.Ready, instance.StartedAt, instance.ReadySince, value, from, request);

    private static InstanceState StateOf(InstancePhase phase) => phase switch
    {
        InstancePhase.Stopping or InstancePhase.Stopped or InstancePhase.Exited => InstanceState.Gone,
        InstancePhase.Pending => InstanceState.Pending,
        _ => InstanceState.Running,
    };
}
