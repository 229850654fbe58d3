using Slipway.Control.Alerts;

namespace Slipway.Server.Api.Contracts;

// Not AlertInfo itself on purpose: the client gets severity and what mutes it, not the engine's fingerprint and resolve time.
/// <summary>A pending or firing alert with its labels, annotations, value, since when, and what mutes it.</summary>
/// <param name="Muted">For a firing alert, the silence or inhibition that keeps it from being notified; else null.</param>
internal sealed record AlertResponse(
    string Name,
    AlertState State,
    string Severity,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    double Value,
    DateTimeOffset ActiveAt,
    DateTimeOffset? FiredAt,
    string? Muted)
{
    public static AlertResponse Of(AlertInfo a, string? muted) => new(a.Name, a.State, a.Severity, a.Labels, a.Annotations, a.Value, a.ActiveAt, a.FiredAt, muted);
}
