namespace Slipway.Backups.Catalog;

/// <summary>
/// Where a physical backup sits in the WAL stream, from pg_basebackup's own report. A restore replays WAL from
/// <see cref="StartWalFile"/>; the data is consistent once replay passes <see cref="StopLsn"/>.
/// </summary>
/// <param name="StartLsn">The backup's checkpoint redo point, e.g. <c>0/2000028</c>.</param>
/// <param name="StopLsn">The point from which the restored copy is consistent.</param>
/// <param name="Timeline">The source's timeline when the backup started.</param>
/// <param name="StartWalFile">The first WAL segment a restore needs; retention keeps it and everything after.</param>
/// <param name="StopWalFile">The segment holding <see cref="StopLsn"/>.</param>
/// <param name="WalSegmentSize">The source's <c>wal_segment_size</c> in bytes.</param>
internal sealed record PhysicalBackupRecord(string StartLsn, string StopLsn, int Timeline, string StartWalFile, string StopWalFile, long WalSegmentSize);
