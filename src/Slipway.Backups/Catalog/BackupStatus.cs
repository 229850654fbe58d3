namespace Slipway.Backups.Catalog;

internal enum BackupStatus
{
    Succeeded,

    /// <summary>Recorded so history and alerts see it; it has no data file and never counts for retention.</summary>
    Failed,
}
