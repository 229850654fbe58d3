using Slipway.Backups.Postgres;
using Slipway.Core.Processes;
using Slipway.Testing;

namespace Slipway.EndToEnd.Tests;

/// <summary>
/// A process killed outright runs no dispose: the scratch cluster it started would serve on with nobody to stop it
/// (two such servers were found running after a test run). The next scratch cluster started on the machine stops it.
/// </summary>
public sealed class ScratchClusterKillTests : IClassFixture<PostgresClusterFixture>, IDisposable
{
    private readonly PostgresClusterFixture _pg;
    private readonly TempDirectory _dir = new();

    public ScratchClusterKillTests(PostgresClusterFixture pg) => _pg = pg;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task BackupVerify_KilledWhileItsScratchClusterRuns_NextScratchClusterStopsThatServer()
    {
        var manifest = _dir.Combine("slipway.yaml");
        // The verify query sleeps, so the scratch cluster is sure to be running when the verifier is killed.
        await File.WriteAllTextAsync(manifest, """
            app: shop
            backups:
              main-db:
                postgres: "env:E2E_KILL_SHOP_URL"
                destination: backups
                verify: { queries: ["select count(*) from pg_sleep(600)"] }
            """);
        var options = new SlipwayProcessOptions { Environment = new Dictionary<string, string?> { ["E2E_KILL_SHOP_URL"] = _pg.ShopUrl } };
        using (var run = new SlipwayProcess(_dir.Path, options, "backup", "run", "main-db", "--file", manifest))
        {
            Assert.True(await run.WaitForExitAsync(180) == 0, run.Output + run.Error);
        }

        using var verify = new SlipwayProcess(_dir.Path, options, "backup", "verify", "main-db", "--file", manifest);
        string? root = null;
        List<int> server = [];
        await verify.UntilAsync(
            () =>
            {
                root = Directory.EnumerateDirectories(Path.GetTempPath(), "slipway-pg-*").FirstOrDefault(r => ScratchClusterOwner.ReadFrom(r)?.Pid == verify.Pid);
                // The server, not one of initdb's backends, which run in the data directory too and write postmaster.pid
                // with their pid negated (the orphan initdb is ScratchClusterTests' case).
                server = root is null || !IsServerPidFile(Path.Combine(root, "data", "postmaster.pid")) ? [] : ProcFs.RunningIn(Path.Combine(root, "data"));
                return server.Count > 0;
            },
            "the verifier's scratch cluster to run",
            seconds: 180);
        var identities = server.Select(pid => (pid, ProcFs.StartTime(pid))).ToList();

        verify.Signal(Native.SigKill);
        await verify.WaitForExitAsync();
        await using var next = await ScratchCluster.StartAsync(PostgresBinaries.Locate());

        // SIGKILL for a straggler is delivered, not awaited: the last ones may take a moment to go.
        await Wait.UntilAsync(
            () => identities.All(p => p.Item2 is not { } started || !ProcFs.IsSameProcess(p.pid, started)) && !Directory.Exists(root),
            $"the killed verifier's server ({string.Join(", ", identities.Select(p => p.pid))}) to stop and {root} to go",
            seconds: 60,
            () => $"still running: {string.Join(", ", identities.Where(p => p.Item2 is { } s && ProcFs.IsSameProcess(p.pid, s)).Select(p => $"{p.pid} {string.Join(' ', ProcFs.CommandLine(p.pid))}"))}; "
                + $"left in {root}: {(Directory.Exists(root) ? string.Join(", ", Directory.EnumerateFileSystemEntries(root!, "*", SearchOption.AllDirectories).Take(20)) : "(gone)")}");
        Assert.Equal("1", await next.SqlAsync("select 1"));
    }

    private static bool IsServerPidFile(string path)
    {
        try
        {
            return File.ReadLines(path).FirstOrDefault() is { Length: > 0 } first && char.IsAsciiDigit(first[0]);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
