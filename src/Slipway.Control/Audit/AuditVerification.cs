namespace Slipway.Control.Audit;

/// <summary>The outcome of walking the chain: how many entries held, and the first that did not and why.</summary>
internal sealed record AuditVerification(bool Valid, long Entries, long? FirstBadSeq, int? FirstBadLine, string? Problem);
