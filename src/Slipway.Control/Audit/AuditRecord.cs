namespace Slipway.Control.Audit;

/// <summary>What the API hands the audit log; the log adds the sequence number, time and chain.</summary>
internal sealed record AuditRecord(string Actor, string Method, string Route, IReadOnlyDictionary<string, string> Arguments, string Remote, int Status);
