using System.Globalization;

namespace Slipway.Core.Processes;

/// <summary>
/// Reads <c>/proc</c>. A pid alone is not an identity (pids are reused), so a process is named by its pid
/// and its start time (field 22 of <c>/proc/PID/stat</c>, in clock ticks since boot).
/// </summary>
internal static class ProcFs
{
    private static readonly long PageSize = Environment.SystemPageSize;

    /// <summary>Clock ticks per second, for CPU times and start times.</summary>
    public static long ClockTicks { get; } = Math.Max(1, NativeMethods.sysconf(NativeMethods.ScClkTck));

    /// <summary>The fields after the command name: index 0 is field 3 (state).</summary>
    private static string[]? ReadStat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // The command name is in parentheses and may itself hold spaces or ')'.
        var close = text.LastIndexOf(')');
        return close < 0 ? null : text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The start time, or null when no such process lives (zombies count as gone).</summary>
    public static long? StartTime(int pid)
    {
        var fields = ReadStat(pid);
        if (fields is null || fields.Length < 20 || fields[0] == "Z" || fields[0] == "X")
        {
            return null;
        }

        return long.Parse(fields[19], CultureInfo.InvariantCulture);
    }

    /// <summary>The argument list <paramref name="pid"/> runs with (<c>/proc/PID/cmdline</c>); empty when it is gone.</summary>
    public static IReadOnlyList<string> CommandLine(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline");
            return text.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>True when <paramref name="pid"/> is alive and is the same process that started at <paramref name="startTime"/>.</summary>
    public static bool IsSameProcess(int pid, long startTime) => StartTime(pid) == startTime;

    /// <summary>Live (non-zombie) processes whose process group is <paramref name="pgid"/>.</summary>
    public static List<int> GroupMembers(int pgid)
    {
        var members = new List<int>();
        foreach (var pid in Pids())
        {
            var fields = ReadStat(pid);
            if (fields is { Length: > 3 } && fields[0] != "Z" && fields[0] != "X"
                && int.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var group) && group == pgid)
            {
                members.Add(pid);
            }
        }

        return members;
    }

    /// <summary>
    /// Live processes whose working directory is exactly <paramref name="directory"/> (as the kernel names it: a path
    /// through a symbolic link never matches). A PostgreSQL server and all its children run in their data directory.
    /// Only processes this user may inspect are seen (all of them as root).
    /// </summary>
    public static List<int> RunningIn(string directory)
    {
        var found = new List<int>();
        foreach (var pid in Pids())
        {
            string? cwd;
            try
            {
                cwd = new FileInfo($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cwd").LinkTarget;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            if (cwd == directory && StartTime(pid) is not null)
            {
                found.Add(pid);
            }
        }

        return found;
    }

    /// <summary>
    /// Live processes started with <paramref name="argument"/> as one of their arguments, exactly (the program itself
    /// not counted): a tool given a directory with <c>-D</c>, wherever it runs. Only processes this user may inspect.
    /// </summary>
    public static List<int> StartedWith(string argument)
    {
        var found = new List<int>();
        foreach (var pid in Pids())
        {
            if (CommandLine(pid).Skip(1).Contains(argument, StringComparer.Ordinal) && StartTime(pid) is not null)
            {
                found.Add(pid);
            }
        }

        return found;
    }

    private static IEnumerable<int> Pids()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                yield return pid;
            }
        }
    }

    /// <summary>CPU time (user + system, clock ticks) and resident memory (bytes) of a whole process group.</summary>
    public static ProcessStats GroupStats(int pgid)
    {
        long ticks = 0;
        long rss = 0;
        foreach (var pid in GroupMembers(pgid))
        {
            var fields = ReadStat(pid);
            if (fields is { Length: > 21 })
            {
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                rss += long.Parse(fields[21], CultureInfo.InvariantCulture) * PageSize;
            }
        }

        return new ProcessStats(TimeSpan.FromSeconds((double)ticks / ClockTicks), rss);
    }
}
