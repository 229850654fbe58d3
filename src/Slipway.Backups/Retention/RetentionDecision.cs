namespace Slipway.Backups.Retention;

/// <summary>What retention keeps (with why) and deletes. Every input backup is in exactly one of the two.</summary>
internal sealed record RetentionDecision(
    IReadOnlyDictionary<string, IReadOnlyList<string>> Keep,
    IReadOnlyList<string> Delete);
