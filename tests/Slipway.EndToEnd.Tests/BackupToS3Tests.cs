using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Slipway.Testing;

namespace Slipway.EndToEnd.Tests;

/// <summary>
/// A backup to S3 through the daemon: <c>slipway backup run --daemon</c> (CLI → API → the daemon's secrets → s3rver),
/// then the bucket's catalog from the API and from <c>backup list</c>, and a verify that restores from the bucket.
/// A real daemon, a real PostgreSQL, a real s3rver; the CLI that asks the daemon has neither the database URL nor the keys.
/// </summary>
public sealed partial class BackupToS3Tests : IClassFixture<PostgresClusterFixture>, IAsyncLifetime
{
    private const string KeyText = "0011223344556677889900112233445566778899001122334455667788990011";
    private readonly PostgresClusterFixture _pg;
    private readonly TempDirectory _dir = new();
    private S3Server? _server;
    private SlipwayProcess? _daemon;

    public BackupToS3Tests(PostgresClusterFixture pg) => _pg = pg;

    private string StateDir => _dir.Combine("state");

    private string Manifest => _dir.Combine("slipway.yaml");

    private S3Server Server => _server!;

    /// <summary>What the daemon (and the verifying CLI) knows: the database URL, the S3 keys, the encryption key.</summary>
    private Dictionary<string, string?> Secrets => new()
    {
        ["E2E_SHOP_URL"] = _pg.ShopUrl,
        ["E2E_OFFSITE_KEY_ID"] = S3Server.AccessKeyId,
        ["SLIPWAY_SECRET_E2E_OFFSITE_SECRET"] = S3Server.SecretAccessKey,
        ["SLIPWAY_SECRET_E2E_BACKUP_KEY"] = KeyText,
    };

    public async Task InitializeAsync()
    {
        _server = await S3Server.StartAsync();
        await File.WriteAllTextAsync(Manifest, $$"""
            app: offsite
            proxy: { listen: ["http://127.0.0.1:0"] }
            backups:
              main-db:
                postgres: "env:E2E_SHOP_URL"
                destination: "s3://{{S3Server.Bucket}}/shop"
                s3: { endpoint: "{{Server.Endpoint}}", accessKeyId: "env:E2E_OFFSITE_KEY_ID", secretAccessKey: "secret:E2E_OFFSITE_SECRET" }
                compression: brotli
                encryption: { keySecret: E2E_BACKUP_KEY }
                verify: { queries: ["select count(*) from orders"] }
            """);
    }

    public async Task DisposeAsync()
    {
        if (_daemon is not null)
        {
            await _daemon.StopAsync();
        }

        await Server.DisposeAsync();
        _dir.Dispose();
    }

    /// <summary>
    /// The daemon runs socket completions inline on the epoll thread (`up` sets the variable), so a backup step resumes on
    /// that thread after any read from S3 or a tool's pipe. A step that then blocked on the store (sync over async)
    /// would wait for a socket only that thread could serve, for good: `backup verify` once hung that way. Each verb
    /// here runs the same way and must finish.
    /// </summary>
    [Fact]
    public async Task RunVerifyRestore_SocketCompletionsInline_FinishFromTheBucket()
    {
        var target = await _pg.CreateDatabaseAsync();
        var inline = new SlipwayProcessOptions
        {
            Environment = new Dictionary<string, string?>(Secrets)
            {
                ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1",
                ["E2E_TARGET_URL"] = _pg.Url(target),
            },
        };

        using var run = new SlipwayProcess(_dir.Path, inline, "backup", "run", "main-db", "--file", Manifest);
        Assert.True(await run.WaitForExitAsync(120) == 0, run.Output + run.Error);
        var id = run.Output.Split(':')[0];
        using var verify = new SlipwayProcess(_dir.Path, inline, "backup", "verify", "main-db", id, "--file", Manifest);
        Assert.True(await verify.WaitForExitAsync(120) == 0, verify.Output + verify.Error);
        using var restore = new SlipwayProcess(_dir.Path, inline, "restore", "main-db", "--backup", id, "--target", "env:E2E_TARGET_URL", "--file", Manifest);
        Assert.True(await restore.WaitForExitAsync(120) == 0, restore.Output + restore.Error);

        Assert.Contains($"{id}: verified (checksums, restore, 1 queries)", verify.Output, StringComparison.Ordinal);
        Assert.Equal(await _pg.SnapshotAsync(PostgresClusterFixture.Database), await _pg.SnapshotAsync(target));
    }

    /// <summary>
    /// Ctrl-C on `backup run` to S3 cancels the upload in flight, and the multipart upload it had started is aborted, so
    /// the bucket keeps neither an object nor (where the store implements the abort) the parts sent so far. s3rver
    /// answers the abort 405 and keeps the parts, so the request in its log is what shows it was sent. Before
    /// <c>Interruption</c>, SIGINT ended the process at once: no abort, and pg_dump left to the signal.
    /// </summary>
    [Fact]
    public async Task BackupRun_InterruptedMidUpload_AbortsTheMultipartUpload()
    {
        // About 210 MB of dump, uncompressed: thirteen 16 MiB parts, time to interrupt between the first and the last.
        var database = await _pg.CreateDatabaseAsync();
        await _pg.SqlAsync("create table big as select g as id, repeat(md5(g::text), 16) as body from generate_series(1, 400000) g", database);
        var manifest = _dir.Combine("interrupted.yaml");
        await File.WriteAllTextAsync(manifest, $$"""
            app: offsite
            backups:
              big:
                postgres: "env:E2E_BIG_URL"
                destination: "s3://{{S3Server.Bucket}}/big"
                s3: { endpoint: "{{Server.Endpoint}}", accessKeyId: "env:E2E_OFFSITE_KEY_ID", secretAccessKey: "secret:E2E_OFFSITE_SECRET" }
                compression: none
            """);
        var environment = new Dictionary<string, string?>(Secrets) { ["E2E_BIG_URL"] = _pg.Url(database) };

        using var run = new SlipwayProcess(_dir.Path, new SlipwayProcessOptions { Environment = environment }, "backup", "run", "big", "--file", manifest);
        await run.UntilAsync(() => Server.Requests().Any(r => FirstPart().IsMatch(r)), "the first part of the dump to go up", 120);
        run.Signal(Native.SigInt);
        var exit = await run.WaitForExitAsync(60);

        var log = string.Join("\n", Server.Requests());
        var uploadId = FirstPart().Match(log).Groups["upload"].Value;
        Assert.True(exit == 130, $"the interrupted backup run exited {exit}:\n{run.Output}{run.Error}\ns3rver:\n{log}");
        Assert.Contains("slipway: interrupted", run.Error, StringComparison.Ordinal);

        // The one request on the upload itself that is not a part: the abort (a completion would have stored the object).
        Assert.True(log.Contains($"?uploadId={uploadId} ", StringComparison.Ordinal), $"no abort of {uploadId}; the run exited {exit} and said:\n{run.Output}{run.Error}\ns3rver:\n{log}");
        Assert.DoesNotContain("Stored object \"big/", log, StringComparison.Ordinal);
        Assert.DoesNotContain(Server.StoredKeys(), k => k.StartsWith("big/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BackupRunThroughTheDaemon_LandsInTheBucket_ListsAndVerifiesFromIt()
    {
        _daemon = new SlipwayProcess(_dir.Path, new SlipwayProcessOptions { Environment = Secrets }, "up", Manifest, "--state-dir", StateDir, "--api", "127.0.0.1:0");
        await _daemon.UntilAsync(() => _daemon.Output.Contains("slipway: control API on ", StringComparison.Ordinal), "the control API");
        var api = _daemon.Output.Split('\n').First(l => l.StartsWith("slipway: control API on ", StringComparison.Ordinal))["slipway: control API on ".Length..].Trim();

        using var run = new SlipwayProcess(_dir.Path, "backup", "run", "main-db", "--daemon", "--server", api, "--state-dir", StateDir, "--file", Manifest);
        Assert.True(await run.WaitForExitAsync(120) == 0, run.Output + run.Error);
        var id = run.Output.Split(':')[0];

        using var http = new HttpClient { BaseAddress = new Uri(api + "/"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(Path.Combine(StateDir, "admin.token"))).Trim());
        var backups = await http.GetStringAsync(new Uri("api/v1/backups", UriKind.Relative));

        // The local verbs read the bucket with the keys alone; verify also needs the encryption key (and, today, the source).
        var keysOnly = new Dictionary<string, string?>(Secrets) { ["E2E_SHOP_URL"] = null };
        using var list = new SlipwayProcess(_dir.Path, new SlipwayProcessOptions { Environment = keysOnly }, "backup", "list", "--file", Manifest);
        Assert.True(await list.WaitForExitAsync() == 0, list.Error);
        using var verify = new SlipwayProcess(_dir.Path, new SlipwayProcessOptions { Environment = Secrets }, "backup", "verify", "main-db", id, "--file", Manifest);
        Assert.True(await verify.WaitForExitAsync(120) == 0, verify.Output + verify.Error);

        Assert.StartsWith("main-db-", id, StringComparison.Ordinal);
        Assert.Contains($"shop/{id}.backup.json", Server.StoredKeys());
        Assert.Contains($"shop/{id}.dump.br.enc", Server.StoredKeys());
        Assert.Contains($"\"destination\":\"s3://{S3Server.Bucket}/shop/\"", backups, StringComparison.Ordinal);
        Assert.Contains($"\"id\":\"{id}\"", backups, StringComparison.Ordinal);
        Assert.StartsWith(id + " ", list.Output, StringComparison.Ordinal);
        Assert.Contains($"{id}: verified (checksums, restore, 1 queries)", verify.Output, StringComparison.Ordinal);
        Assert.Contains($"\"kind\":\"backup-succeeded\",\"message\":\"backup {id} taken", backups, StringComparison.Ordinal);
    }

    /// <summary>
    /// s3rver's log line for the first part of a multipart upload under big/ (<c>…big/ID.dump?partNumber=1&amp;uploadId=U 200 …</c>;
    /// it cuts the method and the start of the path), capturing U.
    /// </summary>
    [GeneratedRegex(@"/big/\S*\?(?=\S*\bpartNumber=1\b)(?=\S*\buploadId=(?<upload>[^&\s]+))", RegexOptions.CultureInvariant)]
    private static partial Regex FirstPart();
}
