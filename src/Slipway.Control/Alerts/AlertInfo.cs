namespace Slipway.Control.Alerts;

/// <summary>An alert as the engine reports it after an evaluation: immutable, for the notifier, the API and the CLI.</summary>
/// <param name="Labels">The sample's labels, the rule's labels, <c>alertname</c> and <c>severity</c>.</param>
/// <param name="ActiveAt">When the condition first held (the start of pending).</param>
/// <param name="FiredAt">When it became firing; null while pending.</param>
/// <param name="ResolvedAt">When it stopped firing; only set with <see cref="AlertState.Resolved"/>.</param>
internal sealed record AlertInfo(
    string Name,
    AlertState State,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    double Value,
    DateTimeOffset ActiveAt,
    DateTimeOffset? FiredAt,
    DateTimeOffset? ResolvedAt)
{
    public string Fingerprint { get; } = AlertFingerprint.Of(Labels);

    public string Severity => Labels.GetValueOrDefault("severity", "");
}
