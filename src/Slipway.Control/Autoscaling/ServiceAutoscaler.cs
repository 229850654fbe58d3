using Slipway.Control.Supervision;
using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Autoscaling;

/// <summary>
/// One service's autoscaler state and its decision at each look: the HorizontalPodAutoscaler's reconcile
/// (horizontal.go, reconcileAutoscaler) — outside the bounds go straight to them; otherwise every target proposes a
/// count, the largest wins, and the behaviour of each direction normalizes it. A target that cannot be read holds the
/// service at its size when no other can be read, or when the others would scale it down. Pure apart from the
/// reader: the time is given, so it runs on a manual clock in tests. One service loop owns an instance.
/// </summary>
internal sealed class ServiceAutoscaler
{
    /// <summary>Request rates look back at least this far, so one quiet second does not read as no load.</summary>
    public static readonly TimeSpan MinRateWindow = TimeSpan.FromSeconds(5);

    private readonly MetricReader _reader;

    public ServiceAutoscaler(string service, MetricReader reader)
    {
        Service = service;
        _reader = reader;
    }

    public string Service { get; }

    public ScalingBehavior Behavior { get; } = new();

    /// <param name="instances">The instances counted (the current revision's; both revisions' during a canary).</param>
    /// <param name="metricsInterval">The service's <c>metrics.interval</c>, for how old a scraped gauge may be.</param>
    public AutoscaleDecision Decide(AutoscaleSpec spec, int current, IReadOnlyList<InstanceStatus> instances, DateTimeOffset now, TimeZoneInfo zone, TimeSpan metricsInterval)
    {
        var bounds = ScaleBounds.At(spec, now, zone);
        Behavior.Start(now, current);
        if (current == 0)
        {
            return new AutoscaleDecision(0, 0, bounds, [], "", null, "scaled to 0; the autoscaler acts again once the service runs an instance");
        }

        if (current > bounds.Max)
        {
            return new AutoscaleDecision(current, bounds.Max, bounds, [], $"above {MaxName(bounds)} {bounds.Max}", null, null);
        }

        if (current < bounds.Min)
        {
            return new AutoscaleDecision(current, bounds.Min, bounds, [], $"below {MinName(bounds)} {bounds.Min}", null, null);
        }

        var up = ScalingRules.Up(spec.ScaleUp);
        var down = ScalingRules.Down(spec.ScaleDown);
        var tolerances = new Tolerances(down.Tolerance, up.Tolerance);
        var window = spec.Interval > MinRateWindow ? spec.Interval : MinRateWindow;
        var statuses = new List<MetricStatus>();
        var proposals = new List<(ScalingMetric Metric, MetricProposal Proposal)>();
        foreach (var metric in ScalingMetric.Of(spec))
        {
            var (samples, error) = _reader.Read(metric, Service, instances, window, 3 * metricsInterval, now);
            var proposal = samples is null
                ? MetricProposal.Fail(error!)
                : metric.IsUtilization
                    ? ReplicaCalculator.Utilization(samples, current, metric.Target, tolerances, metric.Kind == ScalingMetricKind.Cpu, now)
                    : ReplicaCalculator.Average(samples, current, metric.Target, tolerances, now);
            proposals.Add((metric, proposal));
            statuses.Add(new MetricStatus(metric.Name, proposal.Failed ? null : proposal.Current, metric.Target, metric.IsUtilization ? "percent" : "per-instance",
                proposal.Failed ? null : proposal.Replicas, proposal.Error));
        }

        var valid = proposals.Where(p => !p.Proposal.Failed).ToList();
        var failed = proposals.Where(p => p.Proposal.Failed).ToList();
        var best = valid.Count == 0 ? 0 : valid.Max(p => p.Proposal.Replicas);
        if (failed.Count == proposals.Count || (failed.Count > 0 && best < current))
        {
            var (metric, proposal) = failed[0];
            var held = failed.Count == proposals.Count
                ? $"cannot read {metric.Name}: {proposal.Error}; keeping {current}"
                : $"cannot read {metric.Name}: {proposal.Error}; not scaling down on the other targets alone";
            return new AutoscaleDecision(current, current, bounds, statuses, "", null, held);
        }

        var driver = valid.First(p => p.Proposal.Replicas == best);
        var reason = best > current
            ? driver.Metric.Describe(driver.Proposal.Current)
            : "all targets below: " + string.Join(", ", valid.Select(p => p.Metric.Describe(p.Proposal.Current)));
        var (desired, limited) = Behavior.Normalize(now, current, best, bounds.Min, bounds.Max, up, down);
        return new AutoscaleDecision(current, desired, bounds, statuses, reason, limited, null);
    }

    /// <summary>A change carried out, for the policies' periods.</summary>
    public void Scaled(AutoscaleSpec spec, DateTimeOffset now, int before, int after) =>
        Behavior.Record(now, before, after, ScalingRules.Up(spec.ScaleUp), ScalingRules.Down(spec.ScaleDown));

    private static string MinName(ScaleBounds bounds) => bounds.Entry is { } entry ? $"autoscale.schedule[{entry}].min" : "autoscale.min";

    private static string MaxName(ScaleBounds bounds) => bounds.Entry is { } entry ? $"autoscale.schedule[{entry}].max" : "autoscale.max";
}
