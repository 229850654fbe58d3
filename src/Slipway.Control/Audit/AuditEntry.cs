namespace Slipway.Control.Audit;

/// <summary>
/// One step of a call that could change something: who (token name), what (method + route), its arguments
/// (secret values already redacted), when, from where, and the status it got. <see cref="Previous"/> and
/// <see cref="Hash"/> chain it to the entry before.
/// </summary>
/// <param name="Status">The HTTP status of a result; 0 for an intent, which is written before the outcome is known.</param>
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
    string Hash)
{
    /// <summary>
    /// <see cref="AuditPhase.Intent"/> (about to act), <see cref="AuditPhase.Result"/> (what came of the call), or
    /// <see cref="AuditPhase.Start"/> (the log's first entry); null on entries from before the chain was keyed.
    /// </summary>
    public string? Phase { get; init; }
}
