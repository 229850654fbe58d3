using Microsoft.Extensions.Logging.Abstractions;
using Slipway.Backups.Catalog;
using Slipway.Backups.Crypto;
using Slipway.Backups.Destinations;
using Slipway.Backups.Postgres;
using Slipway.Core.Manifest.Model;
using Slipway.Testing;

namespace Slipway.Backups.Tests.Logical;

public sealed class LogicalBackupTests : IClassFixture<PostgresClusterFixture>, IDisposable
{
    private static readonly EncryptionKey Key = EncryptionKey.Parse(new string('a', 64), "BACKUP_KEY");
    private static readonly EncryptionKey OtherKey = EncryptionKey.Parse(new string('b', 64), "BACKUP_KEY");
    private readonly PostgresClusterFixture _pg;
    private readonly TempDirectory _dir = new();

    public LogicalBackupTests(PostgresClusterFixture pg) => _pg = pg;

    public void Dispose() => _dir.Dispose();

    private BackupService Service(PostgresBinaries? binaries = null) =>
        new(binaries ?? _pg.Binaries, TimeProvider.System, NullLogger.Instance);

    private BackupJob Job(BackupCompression compression = BackupCompression.Gzip, EncryptionKey? key = null, PostgresSource? source = null, string? destination = null) =>
        new("main-db", source ?? _pg.Shop, new LocalBackupDestination(destination ?? _dir.Combine("backups")))
        {
            Compression = compression,
            Key = key,
            KeySecret = key is null ? null : "BACKUP_KEY",
            Verify = new VerifySpec { Queries = ["select count(*) from customers", "select count(*) from orders where total > 0"] },
        };

    [Theory]
    [InlineData("Gzip", false)]
    [InlineData("Brotli", true)]
    [InlineData("None", true)]
    public async Task RunVerifyRestore_RoundTripsEveryRow(string compression, bool encrypted)
    {
        var job = Job(Enum.Parse<BackupCompression>(compression), encrypted ? Key : null);
        var service = Service();

        var record = await service.RunAsync(job, CancellationToken.None);
        Assert.True(record.Status == BackupStatus.Succeeded, record.Error);
        var (_, verification) = await service.VerifyAsync(job, record.Id, CancellationToken.None);
        var target = await _pg.CreateDatabaseAsync();
        await service.RestoreAsync(job, record.Id, _pg.Shop.WithDatabase(target), force: false, CancellationToken.None);

        Assert.True(verification.Succeeded, verification.Error);
        Assert.Equal(["2000", "20000"], verification.Queries.Select(q => q.Value));
        Assert.Equal(await _pg.SnapshotAsync(PostgresClusterFixture.Database), await _pg.SnapshotAsync(target));
        var file = Assert.Single(record.Files);
        Assert.Equal(encrypted, file.Name.EndsWith(".enc", StringComparison.Ordinal));
        Assert.StartsWith("pg_dump (PostgreSQL) ", record.Tools["pg_dump"], StringComparison.Ordinal);
        Assert.StartsWith("15", record.ServerVersion, StringComparison.Ordinal);
        Assert.DoesNotContain(PostgresClusterFixture.Password, await File.ReadAllTextAsync(_dir.Combine("backups", record.FileName)), StringComparison.Ordinal);
        Assert.True((await new BackupCatalog(job.Destination).FindAsync("main-db", record.Id, CancellationToken.None)).Verification!.Succeeded);
        Assert.Empty(Directory.GetFiles(_dir.Combine("backups"), "*.partial"));
    }

    [Fact]
    public async Task Verify_OneByteFlipped_FailsOnChecksum()
    {
        var job = Job(BackupCompression.Gzip, Key);
        var record = await Service().RunAsync(job, CancellationToken.None);
        var path = _dir.Combine("backups", record.Files[0].Name);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes);

        var (_, verification) = await Service().VerifyAsync(job, record.Id, CancellationToken.None);

        Assert.False(verification.Succeeded);
        Assert.Contains($"the file {record.Files[0].Name} is corrupted: its SHA-256 is", verification.Error, StringComparison.Ordinal);
        Assert.False((await new BackupCatalog(job.Destination).FindAsync("main-db", record.Id, CancellationToken.None)).Verification!.Succeeded);
    }

    [Fact]
    public async Task Verify_TruncatedFile_FailsOnSize()
    {
        var job = Job(BackupCompression.None);
        var record = await Service().RunAsync(job, CancellationToken.None);
        var path = _dir.Combine("backups", record.Files[0].Name);
        await using (var stream = new FileStream(path, FileMode.Open))
        {
            stream.SetLength(stream.Length - 100);
        }

        var (_, verification) = await Service().VerifyAsync(job, record.Id, CancellationToken.None);

        Assert.False(verification.Succeeded);
        Assert.Contains("is truncated or damaged", verification.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAndRestore_WrongKey_FailNamingTheKey()
    {
        var record = await Service().RunAsync(Job(BackupCompression.Brotli, Key), CancellationToken.None);
        var wrong = Job(BackupCompression.Brotli, OtherKey);

        var (_, verification) = await Service().VerifyAsync(wrong, record.Id, CancellationToken.None);
        var target = await _pg.CreateDatabaseAsync();
        var restore = await Assert.ThrowsAsync<BackupException>(() => Service().RestoreAsync(wrong, record.Id, _pg.Shop.WithDatabase(target), false, CancellationToken.None));

        Assert.False(verification.Succeeded);
        Assert.StartsWith($"wrong encryption key: the backup was encrypted with key id {Key.Id}", verification.Error, StringComparison.Ordinal);
        Assert.StartsWith("wrong encryption key", restore.Message, StringComparison.Ordinal);
        Assert.Equal("0", await _pg.Cluster.SqlAsync("select count(*) from pg_tables where schemaname = 'public'", target));
    }

    [Fact]
    public async Task Run_UnreachablePort_RecordsFailureLeavesNoDataAndDeletesNothing()
    {
        var service = Service();
        var good = Job() with { Retention = new RetentionSpec { KeepLast = 1, Daily = 0, Weekly = 0, Monthly = 0 } };
        var first = await service.RunAsync(good, CancellationToken.None);
        var unreachable = good with { Source = _pg.Shop with { Port = FreePort.Next() } };

        var failed = await service.RunAsync(unreachable, CancellationToken.None);
        var deleted = await service.PruneAsync(good, CancellationToken.None);

        Assert.Equal(BackupStatus.Failed, failed.Status);
        Assert.StartsWith($"cannot reach the database at 127.0.0.1:{unreachable.Source.Port}", failed.Error, StringComparison.Ordinal);
        Assert.Empty(failed.Files);
        Assert.Empty(deleted);
        var files = Directory.GetFiles(_dir.Combine("backups")).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(new[] { first.Files[0].Name, first.FileName, failed.FileName }.Order(), files);
        Assert.Equal(first.Id, (await new BackupCatalog(good.Destination).FindAsync("main-db", null, CancellationToken.None)).Id);
    }

    [Fact]
    public async Task Run_WrongPassword_SaysWrongPassword()
    {
        var record = await Service().RunAsync(Job(source: _pg.Shop with { Password = "nope" }), CancellationToken.None);

        Assert.Equal(BackupStatus.Failed, record.Status);
        Assert.Equal($"wrong password for user postgres at 127.0.0.1:{_pg.Shop.Port}", record.Error);
    }

    [Fact]
    public async Task Run_PgDumpMissing_SaysNotInstalled()
    {
        var empty = _dir.Combine("no-bin");
        Directory.CreateDirectory(empty);

        var record = await Service(new PostgresBinaries(empty)).RunAsync(Job(), CancellationToken.None);

        Assert.Equal(BackupStatus.Failed, record.Status);
        Assert.StartsWith($"pg_dump is not installed (looked in {empty})", record.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_DestinationNotWritable_SaysSoAndLeavesNothing()
    {
        // Root ignores permission bits, so "not writable" is a destination below a regular file.
        var blocker = _dir.Combine("file");
        await File.WriteAllTextAsync(blocker, "");

        var record = await Service().RunAsync(Job(destination: Path.Combine(blocker, "backups")), CancellationToken.None);

        Assert.Equal(BackupStatus.Failed, record.Status);
        Assert.StartsWith($"the destination {blocker}/backups is not writable", record.Error, StringComparison.Ordinal);
        Assert.Equal([blocker], Directory.GetFileSystemEntries(_dir.Path));
    }

    [Fact]
    public async Task Restore_NonEmptyTarget_RefusesWithoutForceAndReplacesWithForce()
    {
        var job = Job();
        var record = await Service().RunAsync(job, CancellationToken.None);
        var target = await _pg.CreateDatabaseAsync();
        await _pg.Cluster.SqlAsync("create table customers (id int primary key, name text, email text); insert into customers values (1, 'stale', null)", target);

        var refused = await Assert.ThrowsAsync<BackupException>(() => Service().RestoreAsync(job, record.Id, _pg.Shop.WithDatabase(target), false, CancellationToken.None));
        Assert.Equal("1", await _pg.Cluster.SqlAsync("select count(*) from customers", target));
        await Service().RestoreAsync(job, record.Id, _pg.Shop.WithDatabase(target), true, CancellationToken.None);

        Assert.Contains("is not empty (1 tables, views or sequences); use --force", refused.Message, StringComparison.Ordinal);
        Assert.Equal(await _pg.SnapshotAsync(PostgresClusterFixture.Database), await _pg.SnapshotAsync(target));
    }

    [Fact]
    public async Task Verify_QueryReturningZero_Fails()
    {
        var job = Job() with { Verify = new VerifySpec { Queries = ["select count(*) from customers where id < 0"] } };
        var record = await Service().RunAsync(job, CancellationToken.None);

        var (_, verification) = await Service().VerifyAsync(job, record.Id, CancellationToken.None);

        Assert.False(verification.Succeeded);
        Assert.Equal("verify query `select count(*) from customers where id < 0` returned 0, not a number greater than 0", verification.Error);
    }
}
