namespace Slipway.Control.Audit;

/// <summary>The outcome of walking the chain: how many entries held, the first that did not and why, and the newest entry's hash.</summary>
/// <param name="HeadSeq">The newest entry's sequence number (0 for an empty log).</param>
/// <param name="Head">The newest entry's hash: what to keep elsewhere and check later with <c>audit verify --head</c>.</param>
internal sealed record AuditVerification(bool Valid, long Entries, long? FirstBadSeq, int? FirstBadLine, string? Problem, long HeadSeq, string Head);
