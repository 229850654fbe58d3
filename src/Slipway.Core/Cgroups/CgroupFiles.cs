using System.Globalization;

namespace Slipway.Core.Cgroups;

/// <summary>
/// Reading and writing cgroup interface files. A write truncates an existing file as <c>echo value &gt; file</c> does
/// (the kernel creates the files with the directory; a missing one means the controller is not there) and says which
/// file refused what.
/// </summary>
internal static class CgroupFiles
{
    /// <exception cref="CgroupException">The file is missing or refused the value.</exception>
    public static void Write(string directory, string file, string value)
    {
        var path = Path.Combine(directory, file);
        try
        {
            using var stream = new FileStream(path, FileMode.Truncate, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
            stream.Write(System.Text.Encoding.ASCII.GetBytes(value));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CgroupException($"cannot write \"{value}\" to {path}: {Reason(e)}", e);
        }
    }

    /// <summary>Writes when the file exists; false when it does not (an optional knob this kernel lacks).</summary>
    /// <exception cref="CgroupException">The file exists and refused the value.</exception>
    public static bool WriteIfPresent(string directory, string file, string value)
    {
        if (!File.Exists(Path.Combine(directory, file)))
        {
            return false;
        }

        Write(directory, file, value);
        return true;
    }

    /// <summary>The file's text, or null when it cannot be read (the cgroup is gone).</summary>
    public static string? Read(string directory, string file)
    {
        try
        {
            return File.ReadAllText(Path.Combine(directory, file));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A file holding one number, such as <c>memory.current</c>.</summary>
    public static long? ReadNumber(string directory, string file) =>
        long.TryParse(Read(directory, file)?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>One line of a flat keyed file (<c>memory.stat</c>, <c>memory.events</c>, <c>cpu.stat</c>): <c>key value</c>.</summary>
    public static long? ReadKey(string directory, string file, string key)
    {
        var text = Read(directory, file);
        if (text is null)
        {
            return null;
        }

        foreach (var line in text.Split('\n'))
        {
            var space = line.IndexOf(' ');
            if (space > 0 && line.AsSpan(0, space).SequenceEqual(key)
                && long.TryParse(line.AsSpan(space + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>The pids in <c>cgroup.procs</c>; empty when there are none or the cgroup is gone.</summary>
    public static IReadOnlyList<int> Processes(string directory) =>
        [.. (Read(directory, "cgroup.procs") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => int.TryParse(l.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0)];

    /// <summary>Creates <paramref name="path"/> (the kernel fills it with the controllers' files).</summary>
    /// <exception cref="CgroupException">It cannot be created.</exception>
    public static void CreateDirectory(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CgroupException($"cannot create the cgroup {path}: {Reason(e)}", e);
        }
    }

    /// <summary>Removes an empty cgroup; false while processes remain in it (or it has child cgroups).</summary>
    public static bool TryRemoveDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path);
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string Reason(Exception e) => e is UnauthorizedAccessException ? "permission denied" : e.Message;
}
