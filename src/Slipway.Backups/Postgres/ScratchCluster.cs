using System.Globalization;
using Slipway.Core.Primitives;

namespace Slipway.Backups.Postgres;

/// <summary>
/// A throwaway PostgreSQL cluster: <c>initdb</c> in a temp directory (0700, owned by <c>postgres</c> when we are
/// root), started by <c>pg_ctl</c> with its socket in that directory, stopped and deleted on dispose, also when the
/// start itself fails. Verification and drills restore production copies into one; tests run their "production"
/// database in one too. One whose process was killed before its dispose is stopped by the next start on the machine.
/// </summary>
/// <remarks>
/// Without a password the cluster listens on no TCP port at all: its socket, in a directory only its owner may
/// enter, is the one way in, so nobody else on the machine reaches the restored copy. With a password (what the
/// tests' stand-in for production needs) it also listens on a loopback port, with scram-sha-256 logins.
/// </remarks>
internal sealed partial class ScratchCluster : IAsyncDisposable
{
    public const string OsUser = "postgres";
    private const int StartTimeoutSeconds = 60;
    private const string ServerLogName = "server.log";
    private readonly PostgresBinaries _binaries;
    private bool _stopped;

    private ScratchCluster(PostgresBinaries binaries, string root, PostgresSource source)
    {
        _binaries = binaries;
        Root = root;
        Source = source;
    }

    public string Root { get; }

    public string DataDirectory => Path.Combine(Root, "data");

    /// <summary>The <c>postgres</c> database as the <c>postgres</c> role: over TCP with a password, else through the socket directory.</summary>
    public PostgresSource Source { get; }

    /// <param name="password">When set, the cluster also listens on 127.0.0.1 and TCP logins need it (scram-sha-256); when null, it has no TCP listener.</param>
    /// <param name="settings">
    /// Extra server settings (<c>name=value</c>), e.g. <c>track_commit_timestamp=on</c>; ours, never user input. They come after
    /// the scratch defaults (<c>fsync</c>, <c>full_page_writes</c> and <c>synchronous_commit</c> off), so one of those named here wins.
    /// </param>
    /// <exception cref="BackupException">initdb or pg_ctl failed; the message carries the server log's last line.</exception>
    public static async Task<ScratchCluster> StartAsync(
        PostgresBinaries binaries, string? password = null, CancellationToken cancellationToken = default, IReadOnlyList<string>? settings = null)
    {
        var root = await NewRootAsync(binaries).ConfigureAwait(false);
        var cluster = new ScratchCluster(binaries, root, new PostgresSource(password is null ? root : "127.0.0.1", LoopbackPorts.Instances.Next(), "postgres", "postgres", password));
        try
        {
            await cluster.InitAndStartAsync(password, settings ?? [], cancellationToken).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// A cluster from a restored data directory: <paramref name="populate"/> fills <c>ROOT/data</c> (a physical
    /// restore), then the server starts, replays WAL, and is returned once recovery has finished and it accepts
    /// writes: a copy that still replays is not yet the database the drill or verification is about.
    /// </summary>
    /// <remarks>
    /// It listens on no TCP port, only on a socket in its own 0700 directory, and its pg_hba.conf is replaced by
    /// "local trust": the copy's roles and passwords are production's, and nobody but us should reach it.
    /// </remarks>
    /// <exception cref="BackupException">The restore failed, the server did not start (the log's last line says why), or recovery outlasted <paramref name="timeout"/>.</exception>
    public static async Task<ScratchCluster> StartRestoredAsync(
        PostgresBinaries binaries, Func<string, CancellationToken, Task> populate, TimeProvider time, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var root = await NewRootAsync(binaries).ConfigureAwait(false);
        var cluster = new ScratchCluster(binaries, root, new PostgresSource(root, LoopbackPorts.Instances.Next(), "postgres", "postgres", null));
        try
        {
            await ChownAsync(root, cancellationToken).ConfigureAwait(false);
            await populate(cluster.DataDirectory, cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(cluster.DataDirectory, "pg_hba.conf"), "local all all trust\n", cancellationToken).ConfigureAwait(false);
            await ChownAsync(cluster.DataDirectory, cancellationToken).ConfigureAwait(false);
            var started = time.GetTimestamp();
            await cluster.StartServerAsync("-c listen_addresses=", timeout, cancellationToken).ConfigureAwait(false);
            while (await cluster.InRecoveryAsync(cancellationToken).ConfigureAwait(false))
            {
                if (time.GetElapsedTime(started) > timeout)
                {
                    throw new BackupException($"the restored cluster was still replaying WAL after {timeout.TotalSeconds:0}s");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken).ConfigureAwait(false);
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// True while the restored server still replays WAL. A server that dies meanwhile (recovery ended before its
    /// target, a missing segment) leaves only a failed psql: the error then quotes the server log, which says why.
    /// </summary>
    private async Task<bool> InRecoveryAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await SqlAsync("select pg_is_in_recovery()", cancellationToken: cancellationToken).ConfigureAwait(false) != "f";
        }
        catch (BackupException e)
        {
            var tail = await ServerLogTailAsync(cancellationToken).ConfigureAwait(false);
            throw new BackupException($"the restored cluster stopped answering during recovery: {tail ?? e.Message}", e);
        }
    }

    /// <summary>Runs one SQL command with psql against <paramref name="database"/> and returns its unaligned output.</summary>
    public Task<string> SqlAsync(string sql, string database = "postgres", CancellationToken cancellationToken = default) =>
        Psql.QueryAsync(_binaries, Source.WithDatabase(database), sql, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await StopServerAsync(_binaries, DataDirectory).ConfigureAwait(false);
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    /// <summary>
    /// 0700 from the start: the socket and, briefly, the password file live here. It names its owner (this process)
    /// before any server runs in it; the orphans of killed processes are stopped first.
    /// </summary>
    private static async Task<string> NewRootAsync(PostgresBinaries binaries)
    {
        await StopOrphansAsync(binaries).ConfigureAwait(false);
        var root = Path.Combine(Path.GetTempPath(), RootPrefix + Guid.NewGuid().ToString("N")[..12]);
        PrivateDirectory.Create(root);
        ScratchClusterOwner.Current.WriteTo(root);
        return root;
    }

    /// <summary>PostgreSQL refuses to run as root: when we are root, what the server touches belongs to the postgres user.</summary>
    internal static async Task ChownAsync(string path, CancellationToken cancellationToken)
    {
        if (!PostgresTool.IsRoot)
        {
            return;
        }

        var chown = await PostgresTool.RunAsync(new ToolInvocation("chown", ["-R", $"{OsUser}:{OsUser}", path]), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!chown.IsSuccess)
        {
            throw new BackupException($"cannot give {path} to the {OsUser} user: {chown.LastErrorLine}");
        }
    }

    private async Task InitAndStartAsync(string? password, IReadOnlyList<string> settings, CancellationToken cancellationToken)
    {
        var initArgs = new List<string>
        {
            "-D", DataDirectory, "-U", OsUser, "-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions",
            "--auth-local=trust", password is null ? "--auth-host=reject" : "--auth-host=scram-sha-256",
        };
        if (password is not null)
        {
            var passwordFile = Path.Combine(Root, "password");
            PrivateFile.WriteNew(passwordFile, password);
            initArgs.Add("--pwfile=" + passwordFile);
        }

        await ChownAsync(Root, cancellationToken).ConfigureAwait(false);
        var init = await PostgresTool.RunAsync(new ToolInvocation(_binaries.InitDb, initArgs) { RunAs = OsUser }, cancellationToken: cancellationToken).ConfigureAwait(false);
        File.Delete(Path.Combine(Root, "password"));
        if (!init.IsSuccess)
        {
            throw new BackupException($"initdb of the scratch cluster failed: {init.LastErrorLine}");
        }

        var extra = string.Concat(settings.Select(setting => " -c " + setting));
        var listen = password is null ? "-c listen_addresses=" : "-c listen_addresses=127.0.0.1";
        await StartServerAsync(listen + extra, TimeSpan.FromSeconds(StartTimeoutSeconds), cancellationToken).ConfigureAwait(false);
    }

    private async Task StartServerAsync(string options, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // pg_ctl hands -o to the server through a shell; every part here is ours (numbers, settings and our own temp path).
        // Durability is not what a scratch copy is for, so it is off; the caller's options come last, and the last -c of a name wins.
        var port = Source.Port.ToString(CultureInfo.InvariantCulture);
        var serverOptions = $"-c fsync=off -c full_page_writes=off -c synchronous_commit=off {options} -p {port} -k {Root}";
        var log = Path.Combine(Root, ServerLogName);
        var seconds = Math.Max(1, (int)timeout.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        var start = await PostgresTool.RunAsync(
            new ToolInvocation(_binaries.PgCtl, ["start", "-D", DataDirectory, "-w", "-t", seconds, "-l", log, "-o", serverOptions]) { RunAs = OsUser },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!start.IsSuccess)
        {
            var tail = await ServerLogTailAsync(cancellationToken).ConfigureAwait(false);
            throw new BackupException($"the scratch cluster did not start on port {port}: {tail ?? start.LastErrorLine}");
        }
    }

    /// <summary>The server log's last FATAL or PANIC line (the reason it stopped), else its last line; null without a log.</summary>
    private async Task<string?> ServerLogTailAsync(CancellationToken cancellationToken)
    {
        var log = Path.Combine(Root, ServerLogName);
        if (!File.Exists(log))
        {
            return null;
        }

        var lines = await File.ReadAllLinesAsync(log, cancellationToken).ConfigureAwait(false);
        return lines.LastOrDefault(l => l.Contains("FATAL", StringComparison.Ordinal) || l.Contains("PANIC", StringComparison.Ordinal))
            ?? lines.LastOrDefault(l => l.Length > 0);
    }
}
