namespace Slipway.Control.Autoscaling;

/// <summary>
/// An autoscaled service as <c>slipway status</c> and the API show it: the bounds in force, the replicas it has and
/// wants, each target's reading, and what (if anything) holds it back.
/// </summary>
/// <param name="Schedule">Which <c>autoscale.schedule</c> entry set <paramref name="Min"/>/<paramref name="Max"/>, and until when; null for the service's own bounds.</param>
/// <param name="Held">Why the autoscaler does not act now (a rollout, a metric it cannot read); null when it does.</param>
/// <param name="Limited">What kept the last decision from the metrics' proposal (stabilization, a policy, a bound); null when nothing did.</param>
internal sealed record AutoscaleStatus(
    int Min,
    int Max,
    string? Schedule,
    int Current,
    int Desired,
    IReadOnlyList<MetricStatus> Metrics,
    string? Held,
    string? Limited,
    DateTimeOffset? LookedAt,
    DateTimeOffset? LastScaled);
