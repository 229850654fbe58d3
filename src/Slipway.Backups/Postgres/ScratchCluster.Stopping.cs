using System.Globalization;
using Slipway.Core.Processes;

namespace Slipway.Backups.Postgres;

// Stopping a scratch cluster's server: our own on dispose, and the ones a killed process left behind.
internal sealed partial class ScratchCluster
{
    private const string RootPrefix = "slipway-pg-";

    /// <summary>
    /// Stops the scratch clusters whose owner (<see cref="ScratchClusterOwner"/>) is gone and deletes their roots: a
    /// process killed outright (a test host stopped mid-test, a daemon killed during a drill) never ran its dispose,
    /// and its server would otherwise run on. Called before every start, so the next scratch cluster on the machine
    /// cleans up after the last one that was abandoned. A root without a readable owner is left alone.
    /// </summary>
    private static async Task StopOrphansAsync(PostgresBinaries binaries)
    {
        foreach (var root in Directory.EnumerateDirectories(Path.GetTempPath(), RootPrefix + "*"))
        {
            if (ScratchClusterOwner.ReadFrom(root) is not { IsAlive: false })
            {
                continue;
            }

            // An owner killed during initdb leaves initdb running on (its bootstrap backend is what runs in the data
            // directory then): it may write while rm deletes, leaving part of the root, but never a server.
            var data = Path.Combine(root, "data");
            await StopServerAsync(binaries, data).ConfigureAwait(false);

            // Anyone may make a directory in /tmp: one that only looks like ours is deleted with the postgres user's
            // rights (what its server ran as), never root's. A root never given to postgres stays (no server ran in it).
            await PostgresTool.RunAsync(new ToolInvocation("rm", ["-rf", "--", root]) { RunAs = OsUser }).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops the server running in <paramref name="dataDirectory"/>, if any. Its postmaster, and every child, runs in
    /// the data directory, so that is how they are found: pg_ctl's immediate shutdown when <c>postmaster.pid</c> names
    /// one of them (a stale file or a reused pid is never signalled), then SIGKILL for whatever still runs there (a
    /// server still starting when pg_ctl gave up, before it wrote its pid file, or one that ignored the shutdown).
    /// </summary>
    private static async Task StopServerAsync(PostgresBinaries binaries, string dataDirectory)
    {
        var running = ProcFs.RunningIn(dataDirectory);
        if (running.Count == 0)
        {
            return;
        }

        if (PostmasterPid(dataDirectory) is { } pid && running.Contains(pid))
        {
            // Immediate: the data is thrown away next, so there is nothing to shut down cleanly for. Bounded by -t.
            await PostgresTool.RunAsync(new ToolInvocation(binaries.PgCtl, ["stop", "-D", dataDirectory, "-m", "immediate", "-w", "-t", "30"]) { RunAs = OsUser })
                .ConfigureAwait(false);
        }

        foreach (var left in ProcFs.RunningIn(dataDirectory))
        {
            NativeMethods.kill(left, Signals.Kill);
        }

        // Neither pg_ctl (done once the pid file is gone) nor SIGKILL waits for the last exit: a postmaster still
        // exiting unlinks its socket beside the data after the caller emptied the root, whose rmdir then failed and
        // left it behind. So wait for every process that ran there to be gone (at most 10 s).
        List<string> arguments = ["10", "sh", "-c", "for p do tail --pid=\"$p\" -s 0.1 -f /dev/null; done", "sh"];
        arguments.AddRange(running.Select(pid => pid.ToString(CultureInfo.InvariantCulture)));
        await PostgresTool.RunAsync(new ToolInvocation("timeout", arguments)).ConfigureAwait(false);
    }

    /// <summary>The first line of <c>postmaster.pid</c>; null without a readable one.</summary>
    private static int? PostmasterPid(string dataDirectory)
    {
        try
        {
            var first = File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).FirstOrDefault();
            return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
