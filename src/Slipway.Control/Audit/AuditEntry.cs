namespace Slipway.Control.Audit;

/// <summary>
/// One mutating call: who (token name), what (method + route), its arguments (secret values already redacted),
/// when, from where, and the status it got. <see cref="Previous"/> and <see cref="Hash"/> chain it to the entry before.
/// </summary>
internal sealed record AuditEntry(
    long Seq,
    DateTimeOffset Time,
    string Actor,
    string Method,
    string Route,
    IReadOnlyDictionary<string, string> Arguments,
    string Remote,
    int Status,
    string Previous,
    string Hash);
