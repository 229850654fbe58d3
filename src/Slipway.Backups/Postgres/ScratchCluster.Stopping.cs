using System.Globalization;
using Slipway.Core.Processes;

namespace Slipway.Backups.Postgres;

// Stopping a scratch cluster's server: our own on dispose, and the ones a killed process left behind.
internal sealed partial class ScratchCluster
{
    private const string RootPrefix = "slipway-pg-";
    private const int KillRounds = 3;

    /// <summary>
    /// Stops the scratch clusters whose owner (<see cref="ScratchClusterOwner"/>) is gone and deletes their roots: a
    /// process killed outright (a test host stopped mid-test, a daemon killed during a drill) never ran its dispose,
    /// and its server would otherwise run on. Called before every start, so the next scratch cluster on the machine
    /// cleans up after the last one that was abandoned. A root without a readable owner is left alone, unless it is
    /// empty and the postgres user may delete it (what a cleanup that lost a race left: nothing in it to lose).
    /// </summary>
    private static async Task StopOrphansAsync(PostgresBinaries binaries)
    {
        foreach (var root in Directory.EnumerateDirectories(Path.GetTempPath(), RootPrefix + "*"))
        {
            var owner = ScratchClusterOwner.ReadFrom(root);
            if (owner is null && IsEmpty(root))
            {
                // Only as root, where it runs as postgres: /tmp's sticky bit then keeps it off a root just made by a
                // live process (ours, root's, until it has written its owner and handed the root to postgres).
                if (PostgresTool.IsRoot)
                {
                    await PostgresTool.RunAsync(new ToolInvocation("rmdir", ["--", root]) { RunAs = OsUser }).ConfigureAwait(false);
                }

                continue;
            }

            if (owner is not { IsAlive: false })
            {
                continue;
            }

            // An owner killed during initdb leaves initdb running on, outside the data directory, between or inside
            // its backends: StopServerAsync stops it too, else it starts its next backend there while rm deletes.
            var data = Path.Combine(root, "data");
            await StopServerAsync(binaries, data).ConfigureAwait(false);

            // Anyone may make a directory in /tmp: one that only looks like ours is deleted with the postgres user's
            // rights (what its server ran as), never root's. A root never given to postgres stays (no server ran in it),
            // so a second failure is left as it is; the first is retried once whatever still ran there is gone.
            if (!(await RemoveAsync(root).ConfigureAwait(false)).IsSuccess)
            {
                await StopServerAsync(binaries, data).ConfigureAwait(false);
                await RemoveAsync(root).ConfigureAwait(false);
            }
        }
    }

    private static Task<ToolResult> RemoveAsync(string root) =>
        PostgresTool.RunAsync(new ToolInvocation("rm", ["-rf", "--", root]) { RunAs = OsUser });

    private static bool IsEmpty(string root)
    {
        try
        {
            return !Directory.EnumerateFileSystemEntries(root).Any();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Stops the server running in <paramref name="dataDirectory"/>, if any, and every other PostgreSQL process of
    /// that cluster. A server, and every child, runs in its data directory; initdb and pg_ctl run elsewhere but are
    /// given the data directory as an argument: that is how they are found. pg_ctl's immediate shutdown when
    /// <c>postmaster.pid</c> names one of them (a stale file, a reused pid or initdb's single-user backend, which
    /// writes its pid negated, is never handed to pg_ctl), then SIGKILL for whatever still runs (a server still
    /// starting when pg_ctl gave up, before it wrote its pid file, one that ignored the shutdown, or initdb).
    /// </summary>
    private static async Task StopServerAsync(PostgresBinaries binaries, string dataDirectory)
    {
        var involved = Involved(dataDirectory);
        if (involved.Count == 0)
        {
            return;
        }

        if (PostmasterPid(dataDirectory) is { } pid && involved.Contains(pid))
        {
            // Immediate: the data is thrown away next, so there is nothing to shut down cleanly for. Bounded by -t.
            await PostgresTool.RunAsync(new ToolInvocation(binaries.PgCtl, ["stop", "-D", dataDirectory, "-m", "immediate", "-w", "-t", "30"]) { RunAs = OsUser })
                .ConfigureAwait(false);
        }

        // Neither pg_ctl (done once the pid file is gone) nor SIGKILL waits for the last exit: a postmaster still
        // exiting unlinks its socket beside the data after the caller emptied the root, whose rmdir then failed and
        // left it behind. So wait for every process killed to be gone (at most 10 s a round), and look again: what
        // was killed may have started another meanwhile (initdb its next backend). A few rounds, bounded.
        for (var round = 0; round < KillRounds && (involved = Involved(dataDirectory)).Count > 0; round++)
        {
            foreach (var left in involved)
            {
                NativeMethods.kill(left, Signals.Kill);
            }

            List<string> arguments = ["10", "sh", "-c", "for p do tail --pid=\"$p\" -s 0.1 -f /dev/null; done", "sh"];
            arguments.AddRange(involved.Select(p => p.ToString(CultureInfo.InvariantCulture)));
            await PostgresTool.RunAsync(new ToolInvocation("timeout", arguments)).ConfigureAwait(false);
        }
    }

    /// <summary>The live processes running in <paramref name="dataDirectory"/> or started with it as an argument.</summary>
    private static List<int> Involved(string dataDirectory) =>
        ProcFs.RunningIn(dataDirectory).Union(ProcFs.StartedWith(dataDirectory)).ToList();

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
