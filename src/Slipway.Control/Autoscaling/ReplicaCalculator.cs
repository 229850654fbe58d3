namespace Slipway.Control.Autoscaling;

/// <summary>
/// The replica count one metric asks for, computed exactly as the Kubernetes HorizontalPodAutoscaler's replica
/// calculator does (pkg/controller/podautoscaler/replica_calculator.go): <c>ceil(ready × usage / target)</c>, nothing
/// within the tolerance, not-ready instances as 0 % on a scale up and left out of a scale down, instances without a
/// value as 0 on a scale up and at the target (100 % for a utilization) on a scale down, and no proposal at all that
/// those assumptions would turn around. Values are kept in milli-units and divided as integers, as Kubernetes does.
/// Pure: the time is given.
/// </summary>
internal static class ReplicaCalculator
{
    /// <summary>A CPU sample within this long of an instance's start is trusted only once the instance is ready and the sample began after that (kube-controller-manager's <c>--horizontal-pod-autoscaler-cpu-initialization-period</c>).</summary>
    public static readonly TimeSpan CpuInitializationPeriod = TimeSpan.FromMinutes(5);

    /// <summary>After the initialization period, a not-ready instance whose readiness last changed within this long of its start has never been ready (<c>--horizontal-pod-autoscaler-initial-readiness-delay</c>).</summary>
    public static readonly TimeSpan InitialReadinessDelay = TimeSpan.FromSeconds(30);

    /// <summary>A target in percent of each instance's <see cref="InstanceSample.Request"/> (cpu, memory): GetResourceReplicas.</summary>
    public static MetricProposal Utilization(IReadOnlyList<InstanceSample> instances, int currentReplicas, double targetPercent, Tolerances tolerances, bool cpu, DateTimeOffset now)
    {
        if (instances.Count == 0)
        {
            return MetricProposal.Fail("no instances to measure");
        }

        var groups = Group(instances, cpu, now);
        var metrics = Milli(instances, groups);
        if (metrics.Count == 0)
        {
            return MetricProposal.Fail("no ready instance has a reading yet");
        }

        var requests = instances.ToDictionary(i => i.Id, i => ToMilli(i.Request), StringComparer.Ordinal);
        if (instances.Any(i => i.Request <= 0))
        {
            return MetricProposal.Fail("an instance has no 100% to measure against");
        }

        var target = (long)Math.Round(targetPercent);
        var (usageRatio, utilization) = UtilizationRatio(metrics, requests, target);
        var scaleUpWithUnready = groups.Unready.Count > 0 && usageRatio > 1.0;
        if (!scaleUpWithUnready && groups.Missing.Count == 0)
        {
            return new MetricProposal(tolerances.Within(usageRatio) ? currentReplicas : Ceiling(usageRatio * groups.ReadyCount), utilization, null);
        }

        // Without a value: on a scale down as if using all of its request (or the target, for a target above 100%),
        // on a scale up as if idle.
        var fallback = Math.Max(100, target);
        Assume(metrics, groups, usageRatio, scaleUpWithUnready, id => requests[id] * fallback / 100);
        var (newRatio, _) = UtilizationRatio(metrics, requests, target);
        return new MetricProposal(Settle(usageRatio, newRatio, metrics.Count, currentReplicas, tolerances), utilization, null);
    }

    /// <summary>A target average per instance (requests per second, requests in flight, an application gauge): calcPlainMetricReplicas.</summary>
    public static MetricProposal Average(IReadOnlyList<InstanceSample> instances, int currentReplicas, double target, Tolerances tolerances, DateTimeOffset now)
    {
        if (instances.Count == 0)
        {
            return MetricProposal.Fail("no instances to measure");
        }

        var groups = Group(instances, cpu: false, now);
        var metrics = Milli(instances, groups);
        if (metrics.Count == 0)
        {
            return MetricProposal.Fail("no ready instance has a reading yet");
        }

        var targetMilli = Math.Max(1, ToMilli(target));
        var (usageRatio, usage) = UsageRatio(metrics, targetMilli);
        var scaleUpWithUnready = groups.Unready.Count > 0 && usageRatio > 1.0;
        if (!scaleUpWithUnready && groups.Missing.Count == 0)
        {
            return new MetricProposal(tolerances.Within(usageRatio) ? currentReplicas : Ceiling(usageRatio * groups.ReadyCount), usage, null);
        }

        // Without a value: on a scale down as if exactly at the target, on a scale up as if idle.
        Assume(metrics, groups, usageRatio, scaleUpWithUnready, _ => targetMilli);
        var (newRatio, _) = UsageRatio(metrics, targetMilli);
        return new MetricProposal(Settle(usageRatio, newRatio, metrics.Count, currentReplicas, tolerances), usage, null);
    }

    /// <summary>
    /// Fills in the instances the measured ratio left out, as both of Kubernetes's calculators do: one without a value
    /// at <paramref name="onScaleDown"/> on a scale down and idle on a scale up; a not-ready one idle, on a scale up only.
    /// </summary>
    private static void Assume(Dictionary<string, long> metrics, Groups groups, double usageRatio, bool scaleUpWithUnready, Func<string, long> onScaleDown)
    {
        foreach (var id in groups.Missing)
        {
            if (usageRatio < 1.0)
            {
                metrics[id] = onScaleDown(id);
            }
            else if (usageRatio > 1.0)
            {
                metrics[id] = 0;
            }
        }

        if (scaleUpWithUnready)
        {
            foreach (var id in groups.Unready)
            {
                metrics[id] = 0;
            }
        }
    }

    /// <summary>
    /// The count after the assumptions about missing and not-ready instances: the current one when the change is
    /// within the tolerance, or when the assumptions reversed the direction the measured ratio pointed in.
    /// </summary>
    private static int Settle(double usageRatio, double newRatio, int counted, int currentReplicas, Tolerances tolerances)
    {
        if (tolerances.Within(newRatio) || (usageRatio < 1.0 && newRatio > 1.0) || (usageRatio > 1.0 && newRatio < 1.0))
        {
            return currentReplicas;
        }

        var replicas = Ceiling(newRatio * counted);
        return (newRatio < 1.0 && replicas > currentReplicas) || (newRatio > 1.0 && replicas < currentReplicas) ? currentReplicas : replicas;
    }

    /// <summary>groupPods: ready count, not-ready instances (ignored for now), instances without a value, and those left out.</summary>
    private static Groups Group(IReadOnlyList<InstanceSample> instances, bool cpu, DateTimeOffset now)
    {
        var groups = new Groups();
        foreach (var instance in instances)
        {
            if (instance.State == InstanceState.Gone)
            {
                groups.Ignored.Add(instance.Id);
                continue;
            }

            if (instance.State == InstanceState.Pending)
            {
                groups.Unready.Add(instance.Id);
                continue;
            }

            if (instance.Value is null)
            {
                groups.Missing.Add(instance.Id);
                continue;
            }

            if (cpu && IsUnreadyForCpu(instance, now))
            {
                groups.Unready.Add(instance.Id);
                continue;
            }

            groups.ReadyCount++;
        }

        return groups;
    }

    /// <summary>
    /// While an instance is young its CPU (start-up, JIT) says nothing of load: a sample counts once the instance is
    /// ready and the sample began after that. Later, only an instance that never became ready is left out.
    /// </summary>
    private static bool IsUnreadyForCpu(InstanceSample instance, DateTimeOffset now)
    {
        if (instance.StartedAt is not { } started || instance.ReadySince is not { } since)
        {
            return true;
        }

        if (started + CpuInitializationPeriod > now)
        {
            return !instance.Ready || instance.ValueFrom is not { } from || from < since;
        }

        return !instance.Ready && started + InitialReadinessDelay > since;
    }

    /// <summary>The readings of the instances counted (not left out, not ready-pending), in milli-units.</summary>
    private static Dictionary<string, long> Milli(IReadOnlyList<InstanceSample> instances, Groups groups) =>
        instances.Where(i => i.Value is not null && !groups.Ignored.Contains(i.Id) && !groups.Unready.Contains(i.Id))
            .ToDictionary(i => i.Id, i => ToMilli(i.Value!.Value), StringComparer.Ordinal);

    /// <summary>GetResourceUtilizationRatio: whole percent of the summed requests, then over the target.</summary>
    private static (double Ratio, double Utilization) UtilizationRatio(Dictionary<string, long> metrics, Dictionary<string, long> requests, long target)
    {
        var used = 0L;
        var requested = 0L;
        foreach (var (id, value) in metrics)
        {
            used += value;
            requested += requests[id];
        }

        var utilization = requested == 0 ? 0 : (long)(used * (decimal)100 / requested);
        return ((double)utilization / target, utilization);
    }

    /// <summary>GetMetricUsageRatio: the integer average over instances, then over the target.</summary>
    private static (double Ratio, double Average) UsageRatio(Dictionary<string, long> metrics, long target)
    {
        var average = metrics.Values.Sum() / metrics.Count;
        return ((double)average / target, average / 1000.0);
    }

    private static long ToMilli(double value) => (long)Math.Round(value * 1000);

    private static int Ceiling(double value) => value >= int.MaxValue ? int.MaxValue : (int)Math.Ceiling(value);

    private sealed class Groups
    {
        public int ReadyCount { get; set; }

        public HashSet<string> Unready { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Missing { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Ignored { get; } = new(StringComparer.Ordinal);
    }
}
