using System.Globalization;
using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Autoscaling;

/// <summary>One target of <c>autoscale</c>: what is measured per instance and the value each should average.</summary>
/// <param name="Name">As events, status and <c>/metrics</c> name it: cpu, memory, rps, in-flight, or the app gauge's name.</param>
/// <param name="Target">Percent of the instance's 100% for cpu and memory; a plain average otherwise.</param>
internal sealed record ScalingMetric(ScalingMetricKind Kind, string Name, double Target)
{
    /// <summary>The targets <paramref name="spec"/> sets, in the order the manifest reference lists them.</summary>
    public static IReadOnlyList<ScalingMetric> Of(AutoscaleSpec spec) =>
    [
        .. spec.Cpu is { } cpu ? [new ScalingMetric(ScalingMetricKind.Cpu, "cpu", cpu.Value)] : Array.Empty<ScalingMetric>(),
        .. spec.Memory is { } memory ? [new ScalingMetric(ScalingMetricKind.Memory, "memory", memory.Value)] : Array.Empty<ScalingMetric>(),
        .. spec.RpsPerInstance is { } rps ? [new ScalingMetric(ScalingMetricKind.Rps, "rps", rps)] : Array.Empty<ScalingMetric>(),
        .. spec.InFlightPerInstance is { } inFlight ? [new ScalingMetric(ScalingMetricKind.InFlight, "in-flight", inFlight)] : Array.Empty<ScalingMetric>(),
        .. spec.App is { } app ? [new ScalingMetric(ScalingMetricKind.App, app.Metric, app.Target)] : Array.Empty<ScalingMetric>(),
    ];

    public bool IsUtilization => Kind is ScalingMetricKind.Cpu or ScalingMetricKind.Memory;

    /// <summary>"cpu 82%/70%", "rps 412/200 per instance".</summary>
    public string Describe(double current) => IsUtilization
        ? $"{Name} {Number(current)}%/{Number(Target)}%"
        : $"{Name} {Number(current)}/{Number(Target)} per instance";

    private static string Number(double value) => value.ToString(value >= 100 ? "0" : "0.##", CultureInfo.InvariantCulture);
}
