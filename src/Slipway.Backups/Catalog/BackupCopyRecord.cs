namespace Slipway.Backups.Catalog;

/// <summary>How a backup's copy to the second destination (<c>copyTo</c>) went, the last time it was tried.</summary>
/// <param name="Destination">The copy's place, e.g. <c>s3://offsite/shop/</c>.</param>
/// <param name="At">When the copy finished or gave up.</param>
/// <param name="Error">Why it failed, in the store's own words; null once the copy is complete.</param>
internal sealed record BackupCopyRecord(string Destination, DateTimeOffset At, string? Error);
