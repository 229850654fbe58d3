using Slipway.Core.Manifest.Binding;
using Slipway.Core.Primitives;

namespace Slipway.Core.Manifest.Model;

/// <summary>
/// How fast one direction may go (<c>autoscale.scaleUp</c>, <c>autoscale.scaleDown</c>), as a HorizontalPodAutoscaler's
/// <c>behavior.scaleUp</c>/<c>scaleDown</c>. What is left out takes the direction's default, which differs between
/// the two (0s and 5m of stabilization; up 100% or 4 instances per 15s, down 100% per 15s): the defaults live where
/// the autoscaler resolves them, since one record serves both directions.
/// </summary>
internal sealed record ScalingRulesSpec : IValidatedSpec
{
    public static readonly TimeSpan MaxStabilization = TimeSpan.FromHours(1);

    /// <summary>Recommendations this far back are taken into account (the most cautious one wins).</summary>
    public TimeSpan? Stabilization { get; init; }

    public IReadOnlyList<ScalingPolicySpec>? Policies { get; init; }

    public SelectPolicy SelectPolicy { get; init; } = SelectPolicy.Max;

    /// <summary>How far the metric may stray from its target before this direction acts.</summary>
    public Percentage? Tolerance { get; init; }

    public void Validate(SpecContext context)
    {
        if (Stabilization is { } window && (window < TimeSpan.Zero || window > MaxStabilization))
        {
            context.Error("stabilization", $"must be between 0s and {DurationText.Format(MaxStabilization)} (got {DurationText.Format(window)})");
        }

        if (Policies is { Count: 0 })
        {
            context.Error("policies", "must list at least one policy, e.g. [{ percent: 100, period: 15s }]; `selectPolicy: disabled` stops this direction");
        }

        if (Policies is { Count: > 10 })
        {
            context.Error("policies", $"may list at most 10 policies (got {Policies.Count})");
        }

        if (Tolerance is { Value: < 0 or >= 100 })
        {
            context.Error("tolerance", $"must be from 0% up to (not including) 100% (got {Tolerance})");
        }
    }
}
