namespace Slipway.Control.Secrets;

/// <summary>Files only the daemon's user may read: created 0600 from the start, never widened afterwards.</summary>
internal static class PrivateFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="path"/>; fails if it exists, so a key is never silently replaced.</summary>
    public static void WriteNew(string path, string text)
    {
        using var stream = new FileStream(path, Options(FileMode.CreateNew));
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
    public static FileStreamOptions Options(FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        return options;
    }
}
