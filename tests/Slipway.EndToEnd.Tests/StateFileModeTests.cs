namespace Slipway.EndToEnd.Tests;

/// <summary>What a daemon started under umask 022 leaves readable by other users: nothing of its state.</summary>
[Collection(PrivilegeCollection.Name)]
public sealed class StateFileModeTests
{
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly PrivilegeDaemon _daemon;

    public StateFileModeTests(PrivilegeDaemon daemon) => _daemon = daemon;

    [Fact]
    public void Up_Umask022_EveryStateDirectoryAndFileIsOwnerOnly()
    {
        var open = new List<string>();
        foreach (var path in Directory.EnumerateFileSystemEntries(_daemon.StateDir, "*", SearchOption.AllDirectories).Prepend(_daemon.StateDir))
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & GroupOrOther) != 0)
            {
                open.Add($"{Path.GetRelativePath(_daemon.StateDir, path)} {Convert.ToString((int)mode, 8)}");
            }
        }

        Assert.Contains(Path.Combine(_daemon.StateDir, "state.db"), Directory.EnumerateFiles(_daemon.StateDir));
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(_daemon.StateDir, "logs", "env"), "*.log"));
        Assert.True(open.Count == 0, "readable by group or others: " + string.Join(", ", open));
    }
}
