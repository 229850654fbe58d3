using System.Globalization;
using System.Text.RegularExpressions;

namespace Slipway.Backups.Wal;

/// <summary>
/// WAL positions and segment file names as PostgreSQL spells them: an LSN is <c>HI/LO</c> in hex, a segment is
/// <c>TTTTTTTTXXXXXXXXYYYYYYYY</c> (timeline, then the segment number split at 4 GiB).
/// </summary>
internal static partial class WalSegments
{
    /// <summary>A complete segment, one pg_receivewal is still writing, or one it compressed.</summary>
    [GeneratedRegex("^[0-9A-F]{24}(\\.gz|\\.lz4)?(\\.partial)?$", RegexOptions.CultureInvariant)]
    public static partial Regex SegmentFile();

    /// <summary><c>0/2000028</c> → 0x2000028.</summary>
    /// <exception cref="FormatException">Not an LSN.</exception>
    public static ulong ParseLsn(string lsn)
    {
        var parts = lsn.Split('/');
        return parts.Length == 2
            && uint.TryParse(parts[0], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var high)
            && uint.TryParse(parts[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var low)
            ? ((ulong)high << 32) | low
            : throw new FormatException($"not a WAL position: {lsn}");
    }

    /// <summary>The segment file holding <paramref name="lsn"/> on <paramref name="timeline"/> (PostgreSQL's XLogFileName).</summary>
    public static string FileName(int timeline, ulong lsn, long segmentSize)
    {
        if (segmentSize <= 0 || (segmentSize & (segmentSize - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(segmentSize), segmentSize, "a WAL segment size is a power of two");
        }

        var segment = lsn / (ulong)segmentSize;
        var perId = 0x1_0000_0000UL / (ulong)segmentSize;
        return string.Create(CultureInfo.InvariantCulture, $"{timeline:X8}{segment / perId:X8}{segment % perId:X8}");
    }

    /// <summary>
    /// The segment's place in the WAL stream, without its timeline: the part after the first 8 digits. Ordinal
    /// order of these keys is LSN order, whatever the timeline (a segment before a backup's start is never
    /// needed to restore it, on any timeline).
    /// </summary>
    public static string PositionKey(string fileName) => fileName.Substring(8, 16);
}
