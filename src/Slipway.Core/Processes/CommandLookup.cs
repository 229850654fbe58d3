namespace Slipway.Core.Processes;

/// <summary>
/// Finds the program a command names, as <c>posix_spawnp</c> would: a name with a <c>/</c> relative to the
/// working directory, any other on <c>PATH</c>. Debian keeps PostgreSQL's server programs (<c>postgres</c>,
/// <c>initdb</c>, <c>pg_ctl</c>) off <c>PATH</c>, in <c>/usr/lib/postgresql/N/bin</c>: a name found nowhere on
/// <c>PATH</c> is looked for there last, in the newest version's directory, so <c>command: postgres</c> works.
/// </summary>
internal static class CommandLookup
{
    public const string DebianPostgresRoot = "/usr/lib/postgresql";

    /// <summary>The full path of the program; null with <paramref name="error"/> saying where it was looked for.</summary>
    public static string? Find(string fileName, string workingDirectory, string? path, out string? error)
    {
        error = null;
        if (fileName.Length == 0)
        {
            error = "the command is empty";
            return null;
        }

        if (fileName.Contains('/'))
        {
            var full = Path.GetFullPath(fileName, workingDirectory);
            if (File.Exists(full))
            {
                return full;
            }

            error = $"command {fileName} does not exist (looked for {full})";
            return null;
        }

        path ??= "/usr/local/bin:/usr/bin:/bin";
        foreach (var directory in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, fileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        if (NewestPostgresBin() is { } postgres && File.Exists(Path.Combine(postgres, fileName)))
        {
            return Path.Combine(postgres, fileName);
        }

        error = $"command {fileName} was not found on PATH ({path})";
        return null;
    }

    private static string? NewestPostgresBin()
    {
        if (!Directory.Exists(DebianPostgresRoot))
        {
            return null;
        }

        return Directory.GetDirectories(DebianPostgresRoot)
            .Select(d => (Bin: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
            .Where(d => d.Version >= 0 && Directory.Exists(d.Bin))
            .OrderByDescending(d => d.Version)
            .Select(d => d.Bin)
            .FirstOrDefault();
    }
}
