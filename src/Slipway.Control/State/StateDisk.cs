using Microsoft.Data.Sqlite;

namespace Slipway.Control.State;

/// <summary>
/// The disk holding the state directory, as the daemon's writes find it. Every writer (state store, audit log, log
/// collector) reports a write that failed for lack of space here, and the state store each write that succeeded, so
/// the daemon can say once that the disk is full, and once that it has room again, instead of a line per failure.
/// Changes through the API ask <see cref="HasRoom"/> first, so one is refused (507) rather than half-made.
/// </summary>
internal sealed class StateDisk
{
    /// <summary>ENOSPC and EDQUOT: no space, or the user's quota on it is spent.</summary>
    private const int NoSpace = 28;
    private const int QuotaExceeded = 122;
    private const int SqliteFull = 13;

    private int _full;

    public StateDisk(string directory, long reserveBytes = DefaultReserveBytes)
    {
        Directory = directory;
        ReserveBytes = reserveBytes;
    }

    /// <summary>
    /// Below this much free space a change is refused: what it writes (a state row, an audit line, an event) then
    /// fits, so it is never applied but left unrecorded.
    /// </summary>
    public const long DefaultReserveBytes = 1024 * 1024;

    public string Directory { get; }

    public long ReserveBytes { get; }

    /// <summary>Raised with true when a write first fails for lack of space, with false when one succeeds again.</summary>
    public event Action<bool, string>? FullChanged;

    public bool IsFull => Volatile.Read(ref _full) == 1;

    /// <summary>Free space for this user on the state directory's filesystem; null when it cannot be read.</summary>
    public long? Available
    {
        get
        {
            try
            {
                return new DriveInfo(Directory).AvailableFreeSpace;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                return null;
            }
        }
    }

    /// <summary>True when a change may be made: at least <see cref="ReserveBytes"/> free (or free space unknown).</summary>
    public bool HasRoom(out string? problem)
    {
        problem = null;
        if (Available is { } available && available < ReserveBytes)
        {
            problem = $"the disk holding {Directory} is full ({available} bytes free; Slipway keeps {ReserveBytes} in reserve so a change is saved, applied and audited together)";
            Failed(problem);
            return false;
        }

        return true;
    }

    public static bool IsNoSpace(Exception e) => e switch
    {
        DiskFullException => true,
        SqliteException sqlite => sqlite.SqliteErrorCode == SqliteFull || sqlite.SqliteExtendedErrorCode == SqliteFull,
        IOException io when io.HResult is NoSpace or QuotaExceeded || io.Message.Contains("No space left on device", StringComparison.Ordinal) => true,
        _ => e.InnerException is { } inner && IsNoSpace(inner),
    };

    /// <summary>A write failed for lack of space: the first one since there was room is told, the rest only counted.</summary>
    public void Failed(Exception e) => Failed(e.Message);

    public void Succeeded()
    {
        if (Interlocked.CompareExchange(ref _full, 0, 1) == 1)
        {
            FullChanged?.Invoke(false, $"writes to {Directory} succeed again");
        }
    }

    private void Failed(string reason)
    {
        if (Interlocked.CompareExchange(ref _full, 1, 0) == 0)
        {
            FullChanged?.Invoke(true, $"the disk holding {Directory} is full ({reason}): instances keep running and traffic keeps flowing; changes are refused (507) and events, logs and audit entries that do not fit are dropped until space is freed");
        }
    }
}
