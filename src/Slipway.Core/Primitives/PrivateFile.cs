namespace Slipway.Core.Primitives;

/// <summary>
/// Files only the daemon's user may read: created 0600 from their first byte, whatever the umask (a file
/// chmod-ed after it was written was readable by others in between), never widened afterwards.
/// </summary>
internal static class PrivateFile
{
    /// <summary>0600.</summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="path"/>; fails if it exists, so a key is never silently replaced.</summary>
    public static void WriteNew(string path, string text)
    {
        using var stream = new FileStream(path, Options(FileMode.CreateNew));
        using var writer = new StreamWriter(stream);
        writer.Write(text);
    }

    /// <summary>Writes <paramref name="text"/> over what <paramref name="path"/> held (a small, rewritten file: a pid, an offset).</summary>
    public static void Write(string path, string text)
    {
        using var stream = new FileStream(path, Options(FileMode.Create));
        using var writer = new StreamWriter(stream);
        writer.Write(text);
    }

    /// <summary>Replaces <paramref name="path"/> atomically (write a 0600 temp file, fsync, rename).</summary>
    public static void Replace(string path, ReadOnlySpan<byte> content)
    {
        var temp = path + ".tmp";
        File.Delete(temp);
        using (var stream = new FileStream(temp, Options(FileMode.CreateNew)))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Write access; on Unix a file created through these options is 0600 from its first byte.</summary>
    public static FileStreamOptions Options(FileMode mode, FileShare share = FileShare.Read)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = share };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = Mode;
        }

        return options;
    }
}
