using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Slipway.Backups.Catalog;
using Slipway.Backups.Crypto;
using Slipway.Backups.Destinations;
using Slipway.Backups.Postgres;
using Slipway.Backups.Wal;
using Slipway.Cli;
using Slipway.Core.Manifest.Model;
using Slipway.Testing;

namespace Slipway.Backups.Tests.Physical;

/// <summary>
/// Physical backups against a real PostgreSQL started per test: pg_receivewal archiving through its slot, a base
/// backup, point-in-time restore and drills. Every wait is bounded; a cluster or receiver left behind is stopped
/// in <see cref="DisposeAsync"/>.
/// </summary>
public sealed class PhysicalBackupTests : IAsyncLifetime
{
    private static readonly string Password = PostgresClusterFixture.Password;
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);
    private static readonly EncryptionKey Key = EncryptionKey.Parse(new string('c', 64), "BACKUP_KEY");
    private readonly TempDirectory _dir = new();
    private readonly PostgresBinaries _binaries = PostgresBinaries.Locate();
    private readonly CancellationTokenSource _receiverStop = new();
    private readonly List<string> _variables = [];
    private ScratchCluster? _source;
    private Task? _receiving;

    private ScratchCluster Source => _source!;

    public async Task InitializeAsync()
    {
        try
        {
            // Commit timestamps for the drill's RPO; no autovacuum, whose commits would race the "newest commit" checks.
            // Commits flushed before they return, as production's default is: pg_receivewal only gets flushed WAL, and
            // with the scratch default (synchronous_commit off) the last batches waited up to 3 x wal_writer_delay for
            // the WAL writer, so a drill that restored sooner lacked them (2 runs in 3 on a quiet machine; load hid it).
            // The WAL writer's own flushes are 10 s apart, so a wait that relied on them fails every time, not now and then.
            _source = await ScratchCluster.StartAsync(
                _binaries, Password, settings: ["track_commit_timestamp=on", "autovacuum=off", "synchronous_commit=on", "wal_writer_delay=10s"]);
            await Source.SqlAsync("create database shop");
            await Source.SqlAsync("create table events (id int primary key, batch int not null)", "shop");
        }
        catch
        {
            // xUnit disposes only a test class whose InitializeAsync returned: the cluster would outlive the run.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            await _receiverStop.CancelAsync();
            if (_receiving is not null)
            {
                // A receiver that failed or hangs fails the test here, after the cluster below is gone.
                await _receiving.WaitAsync(Bound);
            }
        }
        finally
        {
            if (_source is not null)
            {
                await _source.DisposeAsync();
            }

            foreach (var name in _variables)
            {
                Environment.SetEnvironmentVariable(name, null);
            }

            _receiverStop.Dispose();
            _dir.Dispose();
        }
    }

    private BackupJob Job(BackupCompression compression = BackupCompression.Gzip, EncryptionKey? key = null) =>
        new("main-db", Source.Source.WithDatabase("shop"), new LocalBackupDestination(_dir.Combine("backups")))
        {
            Kind = BackupKind.Physical,
            Compression = compression,
            Key = key,
            KeySecret = key is null ? null : "BACKUP_KEY",
            Verify = new VerifySpec { Queries = ["select count(*) from events"] },
            Rto = TimeSpan.FromMinutes(10),
            Rpo = TimeSpan.FromMinutes(1),
        };

    private BackupService Service() => new(_binaries, TimeProvider.System, NullLogger.Instance);

    /// <summary>Starts pg_receivewal for <paramref name="job"/> and waits until it streams through its slot.</summary>
    private async Task<WalReceiver> StartArchivingAsync(BackupJob job)
    {
        var receiver = new WalReceiver(_binaries, job.Source, job.WalArchive, TimeProvider.System, NullLogger.Instance);
        _receiving = receiver.RunAsync(_receiverStop.Token);
        await Wait.UntilAsync(
            async () => await Source.SqlAsync($"select count(*) from pg_replication_slots where slot_name = '{job.WalArchive.SlotName}' and active") == "1",
            "pg_receivewal to stream through its slot",
            (int)Bound.TotalSeconds,
            () => $"its last exit: {receiver.LastExit}");
        return receiver;
    }

    private async Task InsertBatchAsync(int batch) =>
        await Source.SqlAsync($"insert into events select {batch} * 1000 + g, {batch} from generate_series(1, 100) g", "shop");

    /// <summary>Ends the current WAL segment and waits until the archive holds it complete.</summary>
    private async Task SwitchAndArchiveAsync(WalArchive archive)
    {
        var segment = await Source.SqlAsync("select pg_walfile_name(pg_switch_wal())");
        await Wait.UntilAsync(() => archive.Has(segment), $"{segment} to be archived", (int)Bound.TotalSeconds, () => $"the archive has {string.Join(", ", archive.Files())}");
    }

    /// <summary>Waits until pg_receivewal has flushed everything the source has flushed: every commit, the source's are synchronous.</summary>
    private async Task WaitForArchiveToCatchUpAsync()
    {
        var lsn = await Source.SqlAsync("select pg_current_wal_flush_lsn()");
        await Wait.UntilAsync(
            async () => await Source.SqlAsync($"select coalesce(bool_and(flush_lsn >= '{lsn}'::pg_lsn), false) from pg_stat_replication") == "t",
            $"the archive to reach {lsn}",
            (int)Bound.TotalSeconds);
    }

    [Fact]
    public async Task RestoreToTime_BetweenBatches_HasRowsUpToTheTargetAndNoneBeyond()
    {
        var job = Job(BackupCompression.Brotli, Key);
        var archive = (await StartArchivingAsync(job)).Archive;
        await InsertBatchAsync(0);
        var backup = await Service().RunAsync(job, CancellationToken.None);
        Assert.True(backup.Status == BackupStatus.Succeeded, backup.Error);

        await InsertBatchAsync(1);
        await SwitchAndArchiveAsync(archive);
        await InsertBatchAsync(2);
        var target = DateTimeOffset.Parse(await Source.SqlAsync("select to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"), CultureInfo.InvariantCulture);
        await InsertBatchAsync(3);
        await SwitchAndArchiveAsync(archive);
        await InsertBatchAsync(4);

        await using var restored = await ScratchCluster.StartRestoredAsync(
            _binaries, (dir, ct) => Service().RestoreToDirectoryAsync(job, null, target, dir, force: false, ct), TimeProvider.System, Bound);

        Assert.Equal("0,1,2", await restored.SqlAsync("select string_agg(distinct batch::text, ',' order by batch::text) from events", "shop"));
        Assert.Equal("300", await restored.SqlAsync("select count(*) from events", "shop"));
        Assert.Equal("f", await restored.SqlAsync("select pg_is_in_recovery()"));
        Assert.NotNull(backup.Physical);
        Assert.Equal(1, backup.Physical.Timeline);
        Assert.EndsWith(".base.tar.br.enc", backup.Files[0].Name, StringComparison.Ordinal);
        Assert.True(archive.Has(backup.Physical.StartWalFile) || string.CompareOrdinal(archive.Files()[0], backup.Physical.StartWalFile) <= 0);
        Assert.DoesNotContain(Password, await File.ReadAllTextAsync(_dir.Combine("backups", backup.FileName)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drill_ArchiveCaughtUp_RecoversTheNewestCommitAndMeetsObjectives()
    {
        var urlVariable = "TEST_PHYSICAL_URL_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(urlVariable, $"postgresql://postgres:{Uri.EscapeDataString(Password)}@127.0.0.1:{Source.Source.Port}/shop");
        _variables.Add(urlVariable);
        var manifest = _dir.Combine("slipway.yaml");
        await File.WriteAllTextAsync(manifest, $$"""
            app: shop
            backups:
              main-db:
                postgres: "env:{{urlVariable}}"
                kind: physical
                destination: backups
                rto: 10m
                rpo: 1m
                verify:
                  queries: ["select count(*) from events"]
            """);
        var job = Job();
        await StartArchivingAsync(job);
        await InsertBatchAsync(0);
        Assert.Equal(0, Run("backup", "run", "main-db", "--file", manifest).Exit);
        await InsertBatchAsync(1);
        await InsertBatchAsync(2);
        await WaitForArchiveToCatchUpAsync();

        var (exit, output, error) = Run("drill", "main-db", "--file", manifest);
        var missed = await Service().DrillAsync(job with { Rto = TimeSpan.FromTicks(1) }, CancellationToken.None);

        Assert.True(exit == 0, output + error);
        Assert.Contains("verify  select count(*) from events = 300", output, StringComparison.Ordinal);
        // Every commit reached the archive before the drill, so the copy has the newest one: nothing lost.
        Assert.Matches(@"RPO +0\.0s +objective 60\.0s +met", output);
        Assert.Matches(@"RTO +\d+\.\ds +objective 600\.0s +met", output);
        Assert.False(missed.Passed);
        Assert.False(missed.RtoMet);
        Assert.Equal(TimeSpan.Zero, missed.Rpo);
        Assert.Equal(missed.SourceNewest, missed.RecoveredNewest);
    }

    [Fact]
    public async Task RestoreToDirectory_NonEmptyTarget_RefusesWithoutForceAndReplacesWithForce()
    {
        var job = Job(BackupCompression.None);
        await StartArchivingAsync(job);
        var backup = await Service().RunAsync(job, CancellationToken.None);
        Assert.True(backup.Status == BackupStatus.Succeeded, backup.Error);
        var target = _dir.Combine("restore-here");
        Directory.CreateDirectory(target);
        await File.WriteAllTextAsync(Path.Combine(target, "precious.txt"), "keep me");

        var refused = Run("restore", "main-db", "--target", target, "--to-time", "2999-01-01 00:00:00+00", "--file", await ManifestAsync(job));
        Assert.True(File.Exists(Path.Combine(target, "precious.txt")));
        var forced = Run("restore", "main-db", "--target", target, "--force", "--file", await ManifestAsync(job));

        Assert.Equal(1, refused.Exit);
        Assert.Contains($"the target directory {target} is not empty; use --force", refused.Error, StringComparison.Ordinal);
        Assert.True(forced.Exit == 0, forced.Error);
        Assert.False(File.Exists(Path.Combine(target, "precious.txt")));
        Assert.True(File.Exists(Path.Combine(target, "recovery.signal")));
        Assert.True(File.Exists(Path.Combine(target, "backup_label")));
        Assert.Contains($"restore_command = 'f={job.WalArchive.Directory}/%f;", await File.ReadAllTextAsync(Path.Combine(target, "postgresql.auto.conf")), StringComparison.Ordinal);
    }

    private async Task<string> ManifestAsync(BackupJob job)
    {
        var urlVariable = "TEST_PHYSICAL_URL_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(urlVariable, $"postgresql://postgres:{Uri.EscapeDataString(Password)}@127.0.0.1:{job.Source.Port}/shop");
        _variables.Add(urlVariable);
        var manifest = _dir.Combine("restore.yaml");
        await File.WriteAllTextAsync(manifest, $$"""
            app: shop
            backups:
              main-db:
                postgres: "env:{{urlVariable}}"
                kind: physical
                compression: none
                destination: backups
            """);
        return manifest;
    }

    private static (int Exit, string Out, string Error) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = SlipwayCommand.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
