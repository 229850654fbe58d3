using System.Diagnostics;
using Slipway.Backups.Wal;
using Slipway.Testing;

namespace Slipway.Backups.Tests.Wal;

/// <summary>The restore_command as the server runs it: through sh, with %f and %p filled in.</summary>
public sealed class WalArchiveTests
{
    private const long SegmentSize = 16L << 20;
    private const string Segment = "000000010000000000000005";

    [Fact]
    public async Task RestoreCommand_ShortPartial_IsPaddedToTheSegmentSize()
    {
        // What pg_receivewal leaves when it stops while zero-filling a new segment; the server refuses it as it is.
        using var dir = new TempDirectory();
        await File.WriteAllBytesAsync(Path.Combine(dir.Path, Segment + ".partial"), new byte[4530176]);
        var target = Path.Combine(dir.Path, "RECOVERYXLOG");

        var exit = await RunAsync(WalArchive.RestoreCommand(dir.Path, SegmentSize), target);

        Assert.Equal(0, exit);
        Assert.Equal(SegmentSize, new FileInfo(target).Length);
    }

    [Fact]
    public async Task RestoreCommand_CompleteSegment_IsCopiedAsItIs()
    {
        using var dir = new TempDirectory();
        var content = new byte[SegmentSize];
        content[0] = 0x10;
        content[^1] = 0x7f;
        await File.WriteAllBytesAsync(Path.Combine(dir.Path, Segment), content);
        var target = Path.Combine(dir.Path, "RECOVERYXLOG");

        var exit = await RunAsync(WalArchive.RestoreCommand(dir.Path, SegmentSize), target);

        Assert.Equal(0, exit);
        Assert.Equal(content, await File.ReadAllBytesAsync(target));
    }

    [Fact]
    public async Task RestoreCommand_MissingSegment_ExitsNonZero()
    {
        using var dir = new TempDirectory();

        var exit = await RunAsync(WalArchive.RestoreCommand(dir.Path, SegmentSize), Path.Combine(dir.Path, "RECOVERYXLOG"));

        Assert.NotEqual(0, exit);
    }

    private static async Task<int> RunAsync(string restoreCommand, string target)
    {
        var command = restoreCommand.Replace("%f", Segment, StringComparison.Ordinal).Replace("%p", target, StringComparison.Ordinal);
        using var process = Process.Start(new ProcessStartInfo("sh", ["-c", command]))!;
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return process.ExitCode;
    }
}
