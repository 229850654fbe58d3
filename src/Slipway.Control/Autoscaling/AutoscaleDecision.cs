namespace Slipway.Control.Autoscaling;

/// <summary>What one look decided for one service.</summary>
/// <param name="Reason">Why it would change (the metric above target, all below, a bound): the event's text.</param>
/// <param name="Held">Why it does not act (no metric could be read, one could not on a scale down); null when it may.</param>
internal sealed record AutoscaleDecision(int Current, int Desired, ScaleBounds Bounds, IReadOnlyList<MetricStatus> Metrics, string Reason, string? Limited, string? Held);
