using Microsoft.Extensions.Logging.Abstractions;
using Slipway.Backups.Catalog;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Primitives;
using Slipway.Testing;

namespace Slipway.Backups.Tests.Destinations;

/// <summary>Logical backups to S3 end to end: a real PostgreSQL, a real s3rver, the manifest's own spec resolved as the CLI does.</summary>
public sealed class S3BackupServiceTests : IClassFixture<PostgresClusterFixture>, IAsyncLifetime
{
    private const string KeyText = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private readonly PostgresClusterFixture _pg;
    private S3Server? _server;

    public S3BackupServiceTests(PostgresClusterFixture pg) => _pg = pg;

    private S3Server Server => _server!;

    public async Task InitializeAsync() => _server = await S3Server.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    private BackupService Service() => new(_pg.Binaries, TimeProvider.System, NullLogger.Instance);

    /// <summary>The access key id from the environment and the secret key from the secret store, as an operator would split them.</summary>
    private BackupJob Job(RetentionSpec? retention = null)
    {
        var spec = new BackupSpec
        {
            Postgres = ValueReference.Parse("env:SHOP_URL"),
            Destination = $"s3://{S3Server.Bucket}/shop",
            S3 = new S3Spec { Endpoint = Server.Endpoint, AccessKeyId = ValueReference.Parse("env:OFFSITE_KEY_ID"), SecretAccessKey = ValueReference.Parse("secret:OFFSITE_SECRET") },
            Compression = BackupCompression.Brotli,
            Encryption = new EncryptionSpec { KeySecret = "BACKUP_KEY" },
            Retention = retention ?? new RetentionSpec(),
            Verify = new VerifySpec { Queries = ["select count(*) from customers"] },
        };
        var env = new Dictionary<string, string> { ["SHOP_URL"] = _pg.ShopUrl, ["OFFSITE_KEY_ID"] = S3Server.AccessKeyId };
        var secrets = new Dictionary<string, string> { ["OFFSITE_SECRET"] = S3Server.SecretAccessKey, ["BACKUP_KEY"] = KeyText };
        return BackupJob.FromSpec("shop", spec, "/nonexistent", env.GetValueOrDefault, secrets.GetValueOrDefault);
    }

    [Fact]
    public async Task RunVerifyRestore_ToS3Encrypted_RoundTripsEveryRow()
    {
        var job = Job();
        var service = Service();

        var record = await service.RunAsync(job, CancellationToken.None);
        var (_, verification) = await service.VerifyAsync(job, record.Id, CancellationToken.None);
        var target = await _pg.CreateDatabaseAsync();
        await service.RestoreAsync(job, record.Id, _pg.Shop.WithDatabase(target), force: false, CancellationToken.None);

        Assert.True(record.Status == BackupStatus.Succeeded, record.Error);
        Assert.Equal($"s3:s3://{S3Server.Bucket}/shop/", record.Destination);
        Assert.Equal([$"shop/{record.FileName}", $"shop/{record.Files[0].Name}"], Server.StoredKeys());
        Assert.EndsWith(".enc", record.Files[0].Name, StringComparison.Ordinal);
        Assert.True(verification.Succeeded, verification.Error);
        Assert.Equal(await _pg.SnapshotAsync(PostgresClusterFixture.Database), await _pg.SnapshotAsync(target));
        Assert.Equal(record.Id, (await new BackupCatalog(job.Destination).FindAsync("shop", null, CancellationToken.None)).Id);
    }

    [Fact]
    public async Task Verify_ObjectChangedInTheStore_FailsOnChecksum()
    {
        var job = Job();
        var record = await Service().RunAsync(job, CancellationToken.None);
        var stored = Server.ObjectPath($"shop/{record.Files[0].Name}");
        var bytes = await File.ReadAllBytesAsync(stored);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(stored, bytes);

        var (_, verification) = await Service().VerifyAsync(job, record.Id, CancellationToken.None);

        Assert.False(verification.Succeeded);
        Assert.StartsWith($"the file {record.Files[0].Name} is corrupted: the store's own checksum does not match its bytes", verification.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_KeepLastOne_DeletesTheOlderBackupsRemoteObjects()
    {
        var job = Job(new RetentionSpec { KeepLast = 1, Daily = 0, Weekly = 0, Monthly = 0 });
        var service = Service();

        var first = await service.RunAsync(job, CancellationToken.None);
        var second = await service.RunAsync(job, CancellationToken.None);

        Assert.True(second.Status == BackupStatus.Succeeded, second.Error);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal([$"shop/{second.FileName}", $"shop/{second.Files[0].Name}"], Server.StoredKeys());
    }

    [Fact]
    public void FromSpec_KeysUnset_NamesTheMissingReferenceNotAValue()
    {
        var spec = new BackupSpec { Postgres = ValueReference.Parse("env:SHOP_URL"), Destination = "s3://offsite/shop" };
        var env = new Dictionary<string, string> { ["SHOP_URL"] = _pg.ShopUrl };

        var failure = Assert.Throws<BackupException>(() => BackupJob.FromSpec("shop", spec, "/", env.GetValueOrDefault, _ => null));

        Assert.Equal("env:AWS_ACCESS_KEY_ID is not set, so there is no access key id for s3://offsite/shop", failure.Message);
    }
}
