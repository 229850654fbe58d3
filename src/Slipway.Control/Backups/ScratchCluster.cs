using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Slipway.Control.Backups;

/// <summary>
/// A throwaway PostgreSQL cluster: <c>initdb</c> in a temp directory owned by <c>postgres</c>, started by
/// <c>pg_ctl</c> on a free loopback port with its socket in that directory, stopped and deleted on dispose.
/// Verification restores into one; tests run their "production" database in one too.
/// </summary>
internal sealed class ScratchCluster : IAsyncDisposable
{
    private const string OsUser = "postgres";
    private const string StartTimeoutSeconds = "60";
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

    /// <summary>The <c>postgres</c> database as the <c>postgres</c> role over TCP.</summary>
    public PostgresSource Source { get; }

    /// <param name="password">When set, TCP logins need it (scram-sha-256); when null, TCP is trusted.</param>
    /// <exception cref="BackupException">initdb or pg_ctl failed; the message carries the server log's last line.</exception>
    public static async Task<ScratchCluster> StartAsync(PostgresBinaries binaries, string? password = null, CancellationToken cancellationToken = default)
    {
        var root = Path.Combine(Path.GetTempPath(), "slipway-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var cluster = new ScratchCluster(binaries, root, new PostgresSource("127.0.0.1", FreeLoopbackPort(), "postgres", "postgres", password));
        try
        {
            await cluster.InitAndStartAsync(password, cancellationToken).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
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
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            // Immediate: the data is thrown away next, so there is nothing to shut down cleanly for. Bounded by -t.
            await PostgresTool.RunAsync(new ToolInvocation(_binaries.PgCtl, ["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "30"]) { RunAs = OsUser })
                .ConfigureAwait(false);
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private async Task InitAndStartAsync(string? password, CancellationToken cancellationToken)
    {
        var initArgs = new List<string>
        {
            "-D", DataDirectory, "-U", OsUser, "-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions",
            "--auth-local=trust", password is null ? "--auth-host=trust" : "--auth-host=scram-sha-256",
        };
        if (password is not null)
        {
            var passwordFile = Path.Combine(Root, "password");
            await File.WriteAllTextAsync(passwordFile, password, cancellationToken).ConfigureAwait(false);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            initArgs.Add("--pwfile=" + passwordFile);
        }

        if (PostgresTool.IsRoot)
        {
            // PostgreSQL refuses to run as root: the cluster belongs to the postgres user.
            var chown = await PostgresTool.RunAsync(new ToolInvocation("chown", ["-R", $"{OsUser}:{OsUser}", Root]), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!chown.Succeeded)
            {
                throw new BackupException($"cannot give the scratch cluster directory to the {OsUser} user: {chown.LastErrorLine}");
            }
        }

        var init = await PostgresTool.RunAsync(new ToolInvocation(_binaries.InitDb, initArgs) { RunAs = OsUser }, cancellationToken: cancellationToken).ConfigureAwait(false);
        File.Delete(Path.Combine(Root, "password"));
        if (!init.Succeeded)
        {
            throw new BackupException($"initdb of the scratch cluster failed: {init.LastErrorLine}");
        }

        // pg_ctl hands -o to the server through a shell; every part here is ours (a number and our own temp path).
        var port = Source.Port.ToString(CultureInfo.InvariantCulture);
        var serverOptions = $"-c listen_addresses=127.0.0.1 -p {port} -k {Root} -c fsync=off -c full_page_writes=off -c synchronous_commit=off";
        var log = Path.Combine(Root, "server.log");
        var start = await PostgresTool.RunAsync(
            new ToolInvocation(_binaries.PgCtl, ["start", "-D", DataDirectory, "-w", "-t", StartTimeoutSeconds, "-l", log, "-o", serverOptions]) { RunAs = OsUser },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!start.Succeeded)
        {
            var tail = File.Exists(log) ? (await File.ReadAllLinesAsync(log, cancellationToken).ConfigureAwait(false)).LastOrDefault(l => l.Length > 0) : null;
            throw new BackupException($"the scratch cluster did not start on port {port}: {tail ?? start.LastErrorLine}");
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
