using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Autoscaling;

/// <summary>
/// One direction's behaviour with every default filled in, as the HorizontalPodAutoscaler fills them: scale up at
/// once by 100% or 4 instances per 15 s, whichever is more; scale down by up to 100% per 15 s once the highest
/// recommendation of the last 5 minutes allows it; a 10% tolerance both ways.
/// </summary>
internal sealed record ScalingRules(TimeSpan Stabilization, IReadOnlyList<ScalingPolicy> Policies, SelectPolicy Select, double Tolerance)
{
    public const double DefaultTolerance = 0.1;

    private static readonly TimeSpan DefaultPeriod = TimeSpan.FromSeconds(15);

    public static ScalingRules DefaultUp { get; } = new(TimeSpan.Zero, [new(true, 100, DefaultPeriod), new(false, 4, DefaultPeriod)], SelectPolicy.Max, DefaultTolerance);

    public static ScalingRules DefaultDown { get; } = new(TimeSpan.FromMinutes(5), [new(true, 100, DefaultPeriod)], SelectPolicy.Max, DefaultTolerance);

    /// <summary>The longest policy period: scale events older than this no longer limit anything.</summary>
    public TimeSpan LongestPeriod => Policies.Count == 0 ? TimeSpan.Zero : Policies.Max(p => p.Period);

    public static ScalingRules Up(ScalingRulesSpec spec) => Resolve(spec, DefaultUp);

    public static ScalingRules Down(ScalingRulesSpec spec) => Resolve(spec, DefaultDown);

    private static ScalingRules Resolve(ScalingRulesSpec spec, ScalingRules defaults) => new(
        spec.Stabilization ?? defaults.Stabilization,
        spec.Policies is { Count: > 0 } policies ? [.. policies.Select(p => new ScalingPolicy(p.Percent is not null, p.Percent ?? p.Instances ?? 0, p.Period))] : defaults.Policies,
        spec.SelectPolicy,
        spec.Tolerance is { } tolerance ? tolerance.Fraction : defaults.Tolerance);
}
