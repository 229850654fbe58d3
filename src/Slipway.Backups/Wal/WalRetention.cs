using Slipway.Backups.Catalog;

namespace Slipway.Backups.Wal;

/// <summary>
/// Which archived WAL files retention may delete: the segments wholly before the start of the oldest kept
/// physical backup. Everything a kept backup needs to reach consistency and to roll forward to now is the
/// range from its start segment on, so that range is never deleted.
/// </summary>
/// <remarks>
/// Timeline history files are always kept (they are tiny, and recovery reads them to choose a timeline).
/// With no kept physical backup nothing is deleted: WAL without a base is useless, but throwing it away
/// is the operator's call, not a side effect of a failed first backup.
/// </remarks>
internal static class WalRetention
{
    public static IReadOnlyList<string> Prunable(IEnumerable<string> archivedFiles, IEnumerable<BackupRecord> keptBackups)
    {
        var starts = keptBackups
            .Where(b => b.Status == BackupStatus.Succeeded && b.Physical is not null)
            .Select(b => WalSegments.PositionKey(b.Physical!.StartWalFile))
            .ToList();
        if (starts.Count == 0)
        {
            return [];
        }

        var oldestNeeded = starts.Min(StringComparer.Ordinal)!;
        return archivedFiles
            .Where(f => WalSegments.SegmentFile().IsMatch(f) && string.CompareOrdinal(WalSegments.PositionKey(f), oldestNeeded) < 0)
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
