using System.ComponentModel.DataAnnotations;
using Slipway.Core.Manifest.Binding;
using Slipway.Core.Primitives;

namespace Slipway.Core.Manifest.Model;

/// <summary>
/// Replicas follow load between <see cref="Min"/> and <see cref="Max"/>, decided as a Kubernetes
/// HorizontalPodAutoscaler decides (Control/Autoscaling/README.md): per target <c>ceil(current × value / target)</c>,
/// the largest wins, then the behaviour of each direction.
/// </summary>
internal sealed record AutoscaleSpec : IValidatedSpec
{
    /// <summary>An instance must run to measure load, so the fewest is one (a HorizontalPodAutoscaler's minimum too).</summary>
    [Range(1, 1000)]
    public int Min { get; init; } = 1;

    [Required]
    [Range(1, 1000)]
    public int Max { get; init; }

    /// <summary>Target average CPU per instance, relative to <c>resources.cpu</c> (one core when unset).</summary>
    public Percentage? Cpu { get; init; }

    /// <summary>Target average memory per instance, relative to <c>resources.memory</c>.</summary>
    public Percentage? Memory { get; init; }

    /// <summary>Target requests per second per instance, from the edge proxy's own counters.</summary>
    [Range(1, 1_000_000)]
    public int? RpsPerInstance { get; init; }

    /// <summary>Target requests in flight per instance, from the edge proxy's own counters.</summary>
    [Range(1, 100_000)]
    public int? InFlightPerInstance { get; init; }

    /// <summary>Target average of a gauge the instances serve on <c>metrics.path</c>.</summary>
    public AppMetricSpec? App { get; init; }

    /// <summary>How often the autoscaler looks (the HPA controller's sync period).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(15);

    public ScalingRulesSpec ScaleUp { get; init; } = new();

    public ScalingRulesSpec ScaleDown { get; init; } = new();

    /// <summary>Other bounds at set times (off-peak, peak), each for a while after its cron fires.</summary>
    public IReadOnlyList<ScheduledBoundsSpec> Schedule { get; init; } = [];

    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxInterval = TimeSpan.FromMinutes(10);

    public void Validate(SpecContext context)
    {
        if (Min > Max)
        {
            context.Error("min", $"must not be greater than max ({Max}) (got {Min})");
        }

        if (Cpu is null && Memory is null && RpsPerInstance is null && InFlightPerInstance is null && App is null)
        {
            context.Error("needs a target: `cpu`, `memory`, `rpsPerInstance`, `inFlightPerInstance` or `app`");
        }

        if (Cpu is { Value: <= 0 or > 1000 })
        {
            context.Error("cpu", $"must be between 1% and 1000% (got {Cpu})");
        }

        if (Memory is { Value: <= 0 or > 100 })
        {
            context.Error("memory", $"must be between 1% and 100% (got {Memory})");
        }

        if (Interval < MinInterval || Interval > MaxInterval)
        {
            context.Error("interval", $"must be between {DurationText.Format(MinInterval)} and {DurationText.Format(MaxInterval)} (got {DurationText.Format(Interval)})");
        }

        for (var i = 0; i < Schedule.Count; i++)
        {
            var entry = Schedule[i];
            var (min, max) = (entry.Min ?? Min, entry.Max ?? Max);
            if ((entry.Min is not null || entry.Max is not null) && min > max)
            {
                context.Error($"schedule[{i}]", $"makes min {min} greater than max {max}" + (entry.Min is null ? " (min is autoscale.min)" : entry.Max is null ? " (max is autoscale.max)" : ""));
            }
        }
    }
}
