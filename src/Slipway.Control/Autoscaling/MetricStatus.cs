namespace Slipway.Control.Autoscaling;

/// <summary>One target at the last look: what it read, what it wants, and what it proposed (or why it could not).</summary>
/// <param name="Current">Percent of the 100% for cpu and memory, else the average per instance; null when it could not be read.</param>
/// <param name="Unit">"percent" for cpu and memory, "per-instance" for the others.</param>
internal sealed record MetricStatus(string Name, double? Current, double Target, string Unit, int? Proposal, string? Error);
