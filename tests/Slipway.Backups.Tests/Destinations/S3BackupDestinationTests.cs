using System.Security.Cryptography;
using Slipway.Backups.Destinations;
using Slipway.Testing;

namespace Slipway.Backups.Tests.Destinations;

public sealed class S3BackupDestinationTests : IAsyncLifetime
{
    private S3Server? _server;

    private S3Server Server => _server!;

    public async Task InitializeAsync() => _server = await S3Server.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    private S3BackupDestination Destination(string accessKey = S3Server.AccessKeyId) =>
        new(S3Location.Parse($"s3://{S3Server.Bucket}/nightly/db"), new S3Connection(Server.Endpoint, "us-east-1", accessKey, S3Server.SecretAccessKey), S3BackupDestination.MinimumPartSize);

    private static byte[] Bytes(int count)
    {
        var bytes = new byte[count];
        new Random(count).NextBytes(bytes);
        return bytes;
    }

    [Theory]
    [InlineData(1000)]
    [InlineData((S3BackupDestination.MinimumPartSize * 2) + 12345)]
    public async Task CreateCommit_SmallOrMultipart_ListsReadsSizesAndDeletes(int size)
    {
        using var destination = Destination();
        var data = Bytes(size);

        await using (var upload = await destination.CreateAsync("a.dump", CancellationToken.None))
        {
            await upload.Stream.WriteAsync(data);
            await upload.CommitAsync(CancellationToken.None);
        }

        Assert.Equal(["a.dump"], await destination.ListAsync(".dump", CancellationToken.None));
        Assert.Equal(size, await destination.SizeAsync("a.dump", CancellationToken.None));
        await using (var read = await destination.OpenReadAsync("a.dump", CancellationToken.None))
        {
            Assert.Equal(size, read.Length);
            Assert.Equal(SHA256.HashData(data), await SHA256.HashDataAsync(read));
        }

        Assert.Equal(["nightly/db/a.dump"], Server.StoredKeys());
        await destination.DeleteAsync("a.dump", CancellationToken.None);
        Assert.Empty(await destination.ListAsync(".dump", CancellationToken.None));
        Assert.Empty(Server.StoredKeys());
    }

    [Fact]
    public async Task Create_DisposedWithoutCommitAfterParts_LeavesNoObject()
    {
        using var destination = Destination();

        await using (var upload = await destination.CreateAsync("b.dump", CancellationToken.None))
        {
            await upload.Stream.WriteAsync(Bytes((S3BackupDestination.MinimumPartSize * 2) + 1));
        }

        Assert.Empty(await destination.ListAsync(".dump", CancellationToken.None));
        Assert.Empty(Server.StoredKeys());
    }

    [Fact]
    public async Task Commit_ServerKilledMidUpload_FailsAndNoObjectAppearsAfterRestart()
    {
        using var destination = Destination();
        var upload = await destination.CreateAsync("c.dump", CancellationToken.None);
        await upload.Stream.WriteAsync(Bytes(S3BackupDestination.MinimumPartSize + 1000));

        await Server.KillAsync();
        var failure = await Assert.ThrowsAsync<BackupException>(() => upload.CommitAsync(CancellationToken.None));
        await upload.DisposeAsync();
        await Server.RestartAsync();

        Assert.StartsWith($"uploading part 2 of s3://{S3Server.Bucket}/nightly/db/c.dump failed: ", failure.Message, StringComparison.Ordinal);
        Assert.Empty(await destination.ListAsync(".dump", CancellationToken.None));
        Assert.Empty(Server.StoredKeys());
    }

    [Fact]
    public async Task List_UnknownAccessKey_FailsWithTheStoresOwnReason()
    {
        using var destination = Destination(accessKey: "NOBODY");

        var failure = await Assert.ThrowsAsync<BackupException>(() => destination.ListAsync(".dump", CancellationToken.None));

        Assert.Equal(
            $"listing s3://{S3Server.Bucket}/nightly/db/ failed: S3 refused it (403 InvalidAccessKeyId): The AWS Access Key Id you provided does not exist in our records.",
            failure.Message);
    }
}
