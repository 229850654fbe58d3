using System.Net;
using System.Net.Sockets;
using Slipway.Backups.Postgres;
using Slipway.Core.Processes;
using Slipway.Testing;

namespace Slipway.Backups.Tests.Postgres;

/// <summary>
/// The scratch cluster that `backup verify` and `drill` restore production copies into: reachable by us alone,
/// through a socket in a directory only its owner may enter, never over TCP.
/// </summary>
public sealed class ScratchClusterTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Fact]
    public async Task Start_ForARestore_ListensOnNoTcpPortOnlyOnASocketInAnOwnerOnlyDirectory()
    {
        await using var cluster = await ScratchCluster.StartAsync(PostgresBinaries.Locate());

        Assert.Equal("1", await cluster.SqlAsync("select 1"));
        Assert.StartsWith("/", cluster.Source.Host, StringComparison.Ordinal);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(cluster.Root));
        using var tcp = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => tcp.ConnectAsync(IPAddress.Loopback, cluster.Source.Port));
    }

    [Fact]
    public async Task Start_WithASettingTheScratchDefaultsTurnOff_TheCallersSettingWins()
    {
        await using var cluster = await ScratchCluster.StartAsync(PostgresBinaries.Locate(), settings: ["synchronous_commit=on"]);
        await using var plain = await ScratchCluster.StartAsync(PostgresBinaries.Locate());

        Assert.Equal("on", await cluster.SqlAsync("show synchronous_commit"));
        Assert.Equal("off", await plain.SqlAsync("show synchronous_commit"));
    }

    [Fact]
    public async Task StartRestored_StillRecoveringAtItsTimeout_FailsAndLeavesNoServerRunning()
    {
        var binaries = PostgresBinaries.Locate();
        string? dataDirectory = null;

        // A standby with nowhere to fetch WAL from serves, read-only, and never finishes recovery.
        var failure = await Assert.ThrowsAsync<BackupException>(() => ScratchCluster.StartRestoredAsync(
            binaries,
            async (data, ct) =>
            {
                dataDirectory = data;
                var init = await PostgresTool.RunAsync(
                    new ToolInvocation(binaries.InitDb, ["-D", data, "-U", "postgres", "--no-sync", "--no-instructions"]) { RunAs = ScratchCluster.OsUser },
                    cancellationToken: ct);
                Assert.True(init.IsSuccess, init.LastErrorLine);
                await File.WriteAllTextAsync(Path.Combine(data, "standby.signal"), "", ct);
            },
            TimeProvider.System,
            TimeSpan.FromSeconds(2)));

        Assert.Contains("still replaying WAL after 2s", failure.Message, StringComparison.Ordinal);
        Assert.NotNull(dataDirectory);
        Assert.False(Directory.Exists(Path.GetDirectoryName(dataDirectory)));

        // The directory is gone, so the kernel names a process still in it "DIR (deleted)". A SIGKILLed straggler may take a moment.
        await Wait.UntilAsync(
            () => ProcFs.RunningIn(dataDirectory).Count + ProcFs.RunningIn(dataDirectory + " (deleted)").Count == 0,
            "no process left in the failed cluster's data directory",
            seconds: 30);
    }
}
