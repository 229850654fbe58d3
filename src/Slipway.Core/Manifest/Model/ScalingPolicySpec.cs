using Slipway.Core.Manifest.Binding;
using Slipway.Core.Primitives;

namespace Slipway.Core.Manifest.Model;

/// <summary>
/// One limit on how fast replicas change: <c>{ percent: 100, period: 15s }</c> or <c>{ instances: 4, period: 15s }</c>,
/// a HorizontalPodAutoscaler's <c>Percent</c> and <c>Pods</c> policies.
/// </summary>
internal sealed record ScalingPolicySpec : IValidatedSpec
{
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromMinutes(30);

    /// <summary>At most this share of the replicas the period started with.</summary>
    public int? Percent { get; init; }

    /// <summary>At most this many instances.</summary>
    public int? Instances { get; init; }

    /// <summary>The window the change is counted over.</summary>
    public TimeSpan Period { get; init; } = TimeSpan.FromSeconds(15);

    public void Validate(SpecContext context)
    {
        if ((Percent is null) == (Instances is null))
        {
            context.Error("needs exactly one of `percent` or `instances`");
        }

        if (Percent is < 1 or > 1000)
        {
            context.Error("percent", $"must be between 1 and 1000 (got {Percent})");
        }

        if (Instances is < 1 or > 1000)
        {
            context.Error("instances", $"must be between 1 and 1000 (got {Instances})");
        }

        if (Period < TimeSpan.FromSeconds(1) || Period > MaxPeriod)
        {
            context.Error("period", $"must be between 1s and {DurationText.Format(MaxPeriod)} (got {DurationText.Format(Period)})");
        }
    }

    public override string ToString() =>
        (Percent is { } percent ? $"{percent}%" : $"{Instances} instance{(Instances == 1 ? "" : "s")}") + $" per {DurationText.Format(Period)}";
}
