using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Slipway.Backups.Postgres;
using Slipway.Core.Primitives;
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

    [Fact]
    public async Task Start_AfterAnOwnerDiedWithItsInitdbStillRunning_StopsThatInitdbAndDeletesTheRoot()
    {
        // An owner killed during initdb (the test suite's 'backup verify' killed mid-start) left initdb running outside
        // the data directory: the cleanup killed only the backend running in it, initdb started its next backend there
        // while rm deleted, rm failed, initdb then removed its data directory and left the root empty and owner-less.
        var binaries = PostgresBinaries.Locate();
        var root = NewRootPath();
        var data = Path.Combine(root, "data");
        PrivateDirectory.Create(root);
        new ScratchClusterOwner(Environment.ProcessId, ScratchClusterOwner.Current.StartTime + 1).WriteTo(root);
        await ScratchCluster.ChownAsync(root, CancellationToken.None);

        // The dead owner's initdb, held stopped before it starts: like one between two backends, it runs outside the
        // data directory and would make it again (mkdir -p, the root too) once it went on after the cleanup.
        using var initdb = Process.Start(new ProcessStartInfo("sh")
        {
            ArgumentList = { "-c", "kill -STOP $$; exec runuser -u postgres -- \"$@\"", "sh", binaries.InitDb, "-D", data, "-U", "postgres", "--no-sync", "--no-instructions" },
        })!;
        try
        {
            await Wait.UntilAsync(() => IsStopped(initdb.Id), "the orphan's initdb to stop before it starts", seconds: 30);

            await using var next = await ScratchCluster.StartAsync(binaries);

            Assert.Null(ProcFs.StartTime(initdb.Id));
            Assert.False(Directory.Exists(root));
        }
        finally
        {
            if (!initdb.HasExited)
            {
                initdb.Kill();
            }
        }
    }

    [Fact]
    public async Task Start_WithAnEmptyRootNamingNoOwner_DeletesThePostgresUsersButNotOneALiveProcessJustMade()
    {
        // What a cleanup that lost a race leaves (given to postgres, its owner file deleted), and what a starting
        // process has made but not yet named itself in (still root's).
        var left = NewRootPath();
        PrivateDirectory.Create(left);
        await ScratchCluster.ChownAsync(left, CancellationToken.None);
        var fresh = NewRootPath();
        PrivateDirectory.Create(fresh);
        try
        {
            await using var next = await ScratchCluster.StartAsync(PostgresBinaries.Locate());

            Assert.False(Directory.Exists(left));
            Assert.True(Directory.Exists(fresh));
        }
        finally
        {
            Directory.Delete(fresh);
        }
    }

    private static string NewRootPath() => Path.Combine(Path.GetTempPath(), "slipway-pg-" + Guid.NewGuid().ToString("N")[..12]);

    private static bool IsStopped(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('T');
    }
}
