using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Slipway.Backups.Catalog;
using Slipway.Backups.Postgres;
using Slipway.Backups.Restore;
using Slipway.Backups.Wal;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Primitives;
using Slipway.Testing;

namespace Slipway.Backups.Tests.Physical;

/// <summary>
/// Physical backups and their WAL archive in S3: a real PostgreSQL, pg_receivewal spooling locally, the receiver
/// shipping to a real s3rver, and a point-in-time restore from the bucket alone (the spool deleted first).
/// </summary>
public sealed class PhysicalS3BackupTests : IAsyncLifetime
{
    private const string KeyText = "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789";
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);
    private readonly TempDirectory _dir = new();
    private readonly PostgresBinaries _binaries = PostgresBinaries.Locate();
    private readonly CancellationTokenSource _receiverStop = new();
    private ScratchCluster? _source;
    private S3Server? _server;
    private Task? _receiving;

    private ScratchCluster Source => _source!;

    private S3Server Server => _server!;

    public async Task InitializeAsync()
    {
        try
        {
            _server = await S3Server.StartAsync();
            _source = await ScratchCluster.StartAsync(_binaries, PostgresClusterFixture.Password, settings: ["autovacuum=off"]);
            await Source.SqlAsync("create database shop");
            await Source.SqlAsync("create table events (id int primary key, batch int not null)", "shop");
        }
        catch
        {
            // xUnit disposes only a test class whose InitializeAsync returned: the cluster and s3rver would outlive the run.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            // A receiver that failed or hangs fails the test here, after the cluster and s3rver below are gone.
            await StopArchivingAsync();
        }
        finally
        {
            if (_source is not null)
            {
                await _source.DisposeAsync();
            }

            if (_server is not null)
            {
                await _server.DisposeAsync();
            }

            _receiverStop.Dispose();
            _dir.Dispose();
        }
    }

    /// <summary>The manifest's spec resolved as the CLI and the daemon resolve it: keys from env and the secret store.</summary>
    private BackupJob Job(RetentionSpec? retention = null)
    {
        var spec = new BackupSpec
        {
            Postgres = ValueReference.Parse("env:SHOP_URL"),
            Kind = BackupKind.Physical,
            Destination = $"s3://{S3Server.Bucket}/shop",
            S3 = new S3Spec { Endpoint = Server.Endpoint, AccessKeyId = ValueReference.Parse("env:OFFSITE_KEY_ID"), SecretAccessKey = ValueReference.Parse("secret:OFFSITE_SECRET") },
            Compression = BackupCompression.Gzip,
            Encryption = new EncryptionSpec { KeySecret = "BACKUP_KEY" },
            Retention = retention ?? new RetentionSpec(),
        };
        var url = $"postgresql://postgres:{Uri.EscapeDataString(PostgresClusterFixture.Password)}@127.0.0.1:{Source.Source.Port}/shop";
        var env = new Dictionary<string, string> { ["SHOP_URL"] = url, ["OFFSITE_KEY_ID"] = S3Server.AccessKeyId };
        var secrets = new Dictionary<string, string> { ["OFFSITE_SECRET"] = S3Server.SecretAccessKey, ["BACKUP_KEY"] = KeyText };
        return BackupJob.FromSpec("main-db", spec, _dir.Path, env.GetValueOrDefault, secrets.GetValueOrDefault);
    }

    private BackupService Service() => new(_binaries, TimeProvider.System, NullLogger.Instance);

    private async Task<WalReceiver> StartArchivingAsync(BackupJob job)
    {
        var receiver = new WalReceiver(_binaries, job.Source, job.WalArchive, TimeProvider.System, NullLogger.Instance, shipInterval: TimeSpan.FromMilliseconds(200));
        _receiving = receiver.RunAsync(_receiverStop.Token);
        await Wait.UntilAsync(
            async () => await Source.SqlAsync($"select count(*) from pg_replication_slots where slot_name = '{job.WalArchive.SlotName}' and active") == "1",
            "pg_receivewal to stream through its slot",
            (int)Bound.TotalSeconds,
            () => $"its last exit: {receiver.LastExit}");
        return receiver;
    }

    private async Task StopArchivingAsync()
    {
        await _receiverStop.CancelAsync();
        if (_receiving is not null)
        {
            await _receiving.WaitAsync(Bound);
        }
    }

    private async Task InsertBatchAsync(int batch) =>
        await Source.SqlAsync($"insert into events select {batch} * 1000 + g, {batch} from generate_series(1, 100) g", "shop");

    /// <summary>Ends the current WAL segment and waits until the bucket holds it complete.</summary>
    private async Task SwitchAndShipAsync(WalReceiver receiver)
    {
        var segment = await Source.SqlAsync("select pg_walfile_name(pg_switch_wal())");
        await Wait.UntilAsync(
            () => Server.StoredKeys().Contains($"shop/wal/main-db/{segment}.gz.enc"),
            $"{segment} to be shipped",
            (int)Bound.TotalSeconds,
            () => $"the bucket has {string.Join(", ", Server.StoredKeys())}; the last ship error: {receiver.LastShipError}");
    }

    private static List<string> SpooledSegments(BackupJob job) =>
        [.. job.WalArchive.Files().Where(f => WalSegments.SegmentFile().IsMatch(f) && !f.EndsWith(".partial", StringComparison.Ordinal))];

    private List<string> ShippedSegments() =>
    [
        .. Server.StoredKeys().Where(k => k.StartsWith("shop/wal/main-db/", StringComparison.Ordinal))
            .Select(k => RemoteWal.LocalName(k["shop/wal/main-db/".Length..]))
            .Where(k => WalSegments.SegmentFile().IsMatch(k)),
    ];

    [Fact]
    public async Task RestoreToTime_FromTheBucketAlone_HasRowsUpToTheTargetAndNoneBeyond()
    {
        var job = Job();
        var receiver = await StartArchivingAsync(job);
        await InsertBatchAsync(0);
        var backup = await Service().RunAsync(job, CancellationToken.None);
        Assert.True(backup.Status == BackupStatus.Succeeded, backup.Error);

        await InsertBatchAsync(1);
        await SwitchAndShipAsync(receiver);
        await InsertBatchAsync(2);
        var target = DateTimeOffset.Parse(await Source.SqlAsync("select to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"), CultureInfo.InvariantCulture);
        await InsertBatchAsync(3);
        await SwitchAndShipAsync(receiver);
        await InsertBatchAsync(4);

        // The spool keeps only the newest complete segment (pg_receivewal resumes after it); the rest went up and went
        // away. The pass that shipped the last segment lets the older one go only after it has sent the partial too:
        // the bucket holds the segment a moment before (under load this counted 2), so this waits for that pass.
        await Wait.UntilAsync(
            () => SpooledSegments(job).Count == 1,
            "the spool to keep only the newest complete segment",
            (int)Bound.TotalSeconds,
            () => $"the spool holds {string.Join(", ", SpooledSegments(job))}; the last ship error: {receiver.LastShipError}");
        await StopArchivingAsync();
        Directory.Delete(job.WalArchive.Directory, recursive: true);

        await using var restored = await ScratchCluster.StartRestoredAsync(
            _binaries, (dir, ct) => Service().RestoreToDirectoryAsync(job, null, target, dir, force: false, ct), TimeProvider.System, Bound);

        Assert.Equal("0,1,2", await restored.SqlAsync("select string_agg(distinct batch::text, ',' order by batch::text) from events", "shop"));
        Assert.Equal("300", await restored.SqlAsync("select count(*) from events", "shop"));
        Assert.True(File.Exists(Path.Combine(restored.DataDirectory, PhysicalRestorer.FetchedWalDirectory, backup.Physical!.StopWalFile)));
        Assert.Equal($"s3:s3://{S3Server.Bucket}/shop/", backup.Destination);
        Assert.Contains($"shop/{backup.Files[0].Name}", Server.StoredKeys());
        Assert.EndsWith(".base.tar.gz.enc", backup.Files[0].Name, StringComparison.Ordinal);
        Assert.All(Server.StoredKeys().Where(k => k.StartsWith("shop/wal/", StringComparison.Ordinal)), k => Assert.EndsWith(".gz.enc", k, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_KeepLastOne_DeletesTheBucketsWalTheKeptBackupDoesNotNeed()
    {
        var job = Job(new RetentionSpec { KeepLast = 1, Daily = 0, Weekly = 0, Monthly = 0 });
        var receiver = await StartArchivingAsync(job);
        var first = await Service().RunAsync(job, CancellationToken.None);
        await SwitchAndShipAsync(receiver);
        await SwitchAndShipAsync(receiver);
        var before = ShippedSegments();

        var second = await Service().RunAsync(job, CancellationToken.None);

        Assert.True(second.Status == BackupStatus.Succeeded, second.Error);
        var start = WalSegments.PositionKey(second.Physical!.StartWalFile);
        Assert.Contains(before, k => string.CompareOrdinal(WalSegments.PositionKey(k), start) < 0);
        Assert.All(ShippedSegments(), k => Assert.True(string.CompareOrdinal(WalSegments.PositionKey(k), start) >= 0, $"{k} is older than the kept backup's start {second.Physical.StartWalFile}"));
        Assert.DoesNotContain($"shop/{first.FileName}", Server.StoredKeys());
    }
}
