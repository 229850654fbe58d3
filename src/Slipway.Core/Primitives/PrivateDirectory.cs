namespace Slipway.Core.Primitives;

/// <summary>
/// Directories only the daemon's user may enter: created 0700, whatever the umask. Everything below such a
/// directory is out of other users' reach, whatever its own mode.
/// </summary>
internal static class PrivateDirectory
{
    /// <summary>0700.</summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates <paramref name="path"/> (and missing parents) as 0700.</summary>
    /// <param name="narrowExisting">
    /// Also take group and other bits off a directory that already exists: for the directories Slipway owns (the
    /// state directory), not for one an operator chose and may share on purpose (a backup destination).
    /// </param>
    public static void Create(string path, bool narrowExisting = false)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        // Each missing directory on the way is made 0700 too (the runtime gives parents the umask's mode).
        var missing = new Stack<string>();
        for (var dir = Path.GetFullPath(path); !Directory.Exists(dir); dir = Path.GetDirectoryName(dir)!)
        {
            missing.Push(dir);
        }

        while (missing.TryPop(out var dir))
        {
            Directory.CreateDirectory(dir, Mode);
        }

        if (narrowExisting && File.GetUnixFileMode(path) is var mode && (mode & GroupOrOther) != 0)
        {
            File.SetUnixFileMode(path, mode & ~GroupOrOther);
        }
    }
}
