using Microsoft.Extensions.Logging.Abstractions;
using Slipway.Backups.Catalog;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Primitives;
using Slipway.Testing;

namespace Slipway.Backups.Tests.Copies;

/// <summary>A local destination with an S3 copy (<c>copyTo</c>): a real PostgreSQL, a real s3rver, killed to show a failing copy.</summary>
public sealed class BackupCopierTests : IClassFixture<PostgresClusterFixture>, IAsyncLifetime
{
    private const string KeyText = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
    private readonly PostgresClusterFixture _pg;
    private readonly TempDirectory _dir = new();
    private S3Server? _server;

    public BackupCopierTests(PostgresClusterFixture pg) => _pg = pg;

    private S3Server Server => _server!;

    public async Task InitializeAsync() => _server = await S3Server.StartAsync();

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _dir.Dispose();
    }

    private BackupService Service() => new(_pg.Binaries, TimeProvider.System, NullLogger.Instance);

    private BackupJob Job()
    {
        var spec = new BackupSpec
        {
            Postgres = ValueReference.Parse("env:SHOP_URL"),
            Destination = "backups",
            CopyTo = $"s3://{S3Server.Bucket}/shop",
            S3 = new S3Spec { Endpoint = Server.Endpoint, AccessKeyId = ValueReference.Parse("env:OFFSITE_KEY_ID"), SecretAccessKey = ValueReference.Parse("secret:OFFSITE_SECRET") },
            Compression = BackupCompression.Brotli,
            Encryption = new EncryptionSpec { KeySecret = "BACKUP_KEY" },
        };
        var env = new Dictionary<string, string> { ["SHOP_URL"] = _pg.ShopUrl, ["OFFSITE_KEY_ID"] = S3Server.AccessKeyId };
        var secrets = new Dictionary<string, string> { ["OFFSITE_SECRET"] = S3Server.SecretAccessKey, ["BACKUP_KEY"] = KeyText };
        return BackupJob.FromSpec("shop", spec, _dir.Path, env.GetValueOrDefault, secrets.GetValueOrDefault);
    }

    [Fact]
    public async Task Run_CopyTo_CopiesDataAndRecordAndTheCopyRestoresAlone()
    {
        var job = Job();

        var record = await Service().RunAsync(job, CancellationToken.None);
        var target = await _pg.CreateDatabaseAsync();
        await Service().RestoreAsync(job with { Destination = job.Copy!, Copy = null }, record.Id, _pg.Shop.WithDatabase(target), force: false, CancellationToken.None);

        Assert.True(record.Status == BackupStatus.Succeeded, record.Error);
        Assert.NotNull(record.Copy);
        Assert.Null(record.Copy.Error);
        Assert.Equal($"s3://{S3Server.Bucket}/shop/", record.Copy.Destination);
        Assert.Equal([$"shop/{record.FileName}", $"shop/{record.Files[0].Name}"], Server.StoredKeys());
        Assert.Equal(record.Files, (await new BackupCatalog(job.Copy!).FindAsync("shop", null, CancellationToken.None)).Files);
        Assert.Null((await new BackupCatalog(job.Destination).FindAsync("shop", record.Id, CancellationToken.None)).Copy!.Error);
        Assert.Equal(await _pg.SnapshotAsync(PostgresClusterFixture.Database), await _pg.SnapshotAsync(target));
    }

    [Fact]
    public async Task Run_CopyStoreDown_BackupSucceedsFailureIsRecordedAndTheNextBackupCatchesUp()
    {
        var job = Job();
        await Server.KillAsync();

        var first = await Service().RunAsync(job, CancellationToken.None);
        var recorded = (await new BackupCatalog(job.Destination).FindAsync("shop", first.Id, CancellationToken.None));
        await Server.RestartAsync();
        var second = await Service().RunAsync(job, CancellationToken.None);

        Assert.True(first.Status == BackupStatus.Succeeded, first.Error);
        Assert.StartsWith($"listing s3://{S3Server.Bucket}/shop/ failed: ", first.Copy!.Error, StringComparison.Ordinal);
        Assert.Equal(first.Copy, recorded.Copy);
        Assert.True(second.Status == BackupStatus.Succeeded, second.Error);
        Assert.Null(second.Copy!.Error);
        Assert.Equal(
            new[] { first.FileName, first.Files[0].Name, second.FileName, second.Files[0].Name }.Select(n => "shop/" + n).Order(StringComparer.Ordinal),
            Server.StoredKeys());
        Assert.Null((await new BackupCatalog(job.Destination).FindAsync("shop", first.Id, CancellationToken.None)).Copy!.Error);
    }
}
