namespace Slipway.Backups.Catalog;

/// <summary>One stored file of a backup, as it is on the destination (after compression and encryption).</summary>
internal sealed record BackupFileRecord(string Name, long Bytes, string Sha256);
