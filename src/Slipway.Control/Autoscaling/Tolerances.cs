namespace Slipway.Control.Autoscaling;

/// <summary>How far below (<see cref="Down"/>) and above (<see cref="Up"/>) 1 a usage ratio may be before replicas change.</summary>
internal readonly record struct Tolerances(double Down, double Up)
{
    public static Tolerances Default { get; } = new(ScalingRules.DefaultTolerance, ScalingRules.DefaultTolerance);

    public bool Within(double usageRatio) => 1.0 - Down <= usageRatio && usageRatio <= 1.0 + Up;
}
