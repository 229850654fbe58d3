namespace Slipway.Testing;

/// <summary>
/// A small tmpfs mounted at a test's directory (the tests run as root), to run out of space for real: <see cref="Fill"/>
/// takes what is left, <see cref="Free"/> gives it back. Unmounted (lazily, so open files do not hold it) on dispose.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    private readonly List<string> _ballast = [];

    private SmallDisk(string path) => Path = path;

    public string Path { get; }

    public long Available => new DriveInfo(Path).AvailableFreeSpace;

    public static SmallDisk Mount(string path, string size = "4m")
    {
        Directory.CreateDirectory(path);
        var mount = ExternalTool.Require("mount", "mount");
        var (exit, output) = ExternalTool.RunAsync(mount, ["-t", "tmpfs", "-o", $"size={size},mode=0700", "tmpfs", path]).GetAwaiter().GetResult();
        if (exit != 0)
        {
            throw new InvalidOperationException($"mount -t tmpfs {path} failed (the tests run as root): {output}");
        }

        return new SmallDisk(path);
    }

    /// <summary>Writes ballast files until the disk refuses more: afterwards a write that needs a new block fails with ENOSPC.</summary>
    public void Fill()
    {
        var file = System.IO.Path.Combine(Path, $"ballast-{_ballast.Count}");
        _ballast.Add(file);
        var block = new byte[4096];
        try
        {
            using var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
            while (true)
            {
                stream.Write(block);
            }
        }
        catch (IOException)
        {
            // Full.
        }
    }

    public void Free()
    {
        foreach (var file in _ballast)
        {
            File.Delete(file);
        }

        _ballast.Clear();
    }

    public void Dispose()
    {
        var umount = ExternalTool.Require("umount", "mount");
        ExternalTool.RunAsync(umount, ["-l", Path]).GetAwaiter().GetResult();
    }
}
