namespace Slipway.Control.Audit;

/// <summary>What the API hands the audit log; the log adds the sequence number, time and chain.</summary>
/// <param name="Phase">An <see cref="AuditPhase"/> name.</param>
internal sealed record AuditRecord(string Actor, string Method, string Route, IReadOnlyDictionary<string, string> Arguments, string Remote, int Status, string Phase);
