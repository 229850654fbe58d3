namespace Slipway.Control.Logs;

/// <summary>
/// Keeps all instance logs within an age and a total size. Whole files go: rotated files of any instance, and
/// every file of an instance no longer followed (an old revision's). The file an instance is writing now is
/// never deleted, so the size bound can be exceeded by at most one file per running instance.
/// </summary>
internal static class LogRetention
{
    private static readonly string[] Suffixes = [".stdout.raw.offset", ".stderr.raw.offset", ".stdout.raw", ".stderr.raw", ".log"];

    /// <summary>Deletes what is older than <paramref name="maxAge"/>, then the oldest until all fits in <paramref name="maxBytes"/>.</summary>
    /// <param name="followed">Instance ids being followed now; their current files are kept.</param>
    /// <returns>The files deleted.</returns>
    public static int Apply(string root, DateTimeOffset now, TimeSpan maxAge, long maxBytes, IReadOnlySet<string> followed)
    {
        if (!Directory.Exists(root))
        {
            return 0;
        }

        var total = 0L;
        var deletable = new List<FileInfo>();
        foreach (var file in new DirectoryInfo(root).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            total += file.Length;
            if (IsDeletable(file.Name, followed))
            {
                deletable.Add(file);
            }
        }

        var deleted = 0;
        foreach (var file in deletable.OrderBy(f => f.LastWriteTimeUtc))
        {
            var old = now - new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero) > maxAge;
            if (!old && total <= maxBytes)
            {
                break; // oldest first: nothing later is old either
            }

            try
            {
                var length = file.Length;
                file.Delete();
                total -= length;
                deleted++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Not ours to delete now; the next pass tries again.
            }
        }

        return deleted;
    }

    private static bool IsDeletable(string name, IReadOnlySet<string> followed)
    {
        foreach (var suffix in Suffixes)
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal))
            {
                return !followed.Contains(name[..^suffix.Length]);
            }
        }

        // ID.log.N: a rotated file, kept only for reading.
        var dot = name.LastIndexOf('.');
        return dot > 0 && name.AsSpan(0, dot).EndsWith(".log", StringComparison.Ordinal) && int.TryParse(name.AsSpan(dot + 1), out _);
    }
}
