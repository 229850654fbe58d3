namespace Slipway.Control.Alerts;

/// <summary>The engine's mutable record of one pending or firing alert; only <see cref="RuleStates"/> touches it.</summary>
internal sealed class ActiveAlert(IReadOnlyDictionary<string, string> labels, DateTimeOffset activeAt)
{
    public IReadOnlyDictionary<string, string> Labels { get; } = labels;

    public IReadOnlyDictionary<string, string> Annotations { get; set; } = new Dictionary<string, string>();

    public double Value { get; set; }

    public AlertState State { get; set; } = AlertState.Pending;

    public DateTimeOffset ActiveAt { get; } = activeAt;

    public DateTimeOffset? FiredAt { get; set; }

    /// <summary>When the condition stopped holding while firing with <c>keepFiringFor</c>; null while it holds.</summary>
    public DateTimeOffset? KeepFiringSince { get; set; }

    public AlertInfo Snapshot(string name, AlertState state, DateTimeOffset? resolvedAt = null) =>
        new(name, state, Labels, Annotations, Value, ActiveAt, FiredAt, resolvedAt);
}
