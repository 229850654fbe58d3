using Slipway.Core.Primitives;

namespace Slipway.Control.Autoscaling;

/// <summary>One resolved limit on how fast replicas change within <see cref="Period"/> (a HorizontalPodAutoscaler policy).</summary>
/// <param name="Percent">True for a share of the replicas the period started with; false for a number of instances.</param>
internal sealed record ScalingPolicy(bool Percent, int Value, TimeSpan Period)
{
    public override string ToString() => (Percent ? $"{Value}%" : $"{Value} instance{(Value == 1 ? "" : "s")}") + $" per {DurationText.Format(Period)}";
}
