using System.Security.Cryptography;
using Slipway.Backups.Destinations;

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

        await using (var upload = destination.Create("a.dump"))
        {
            await upload.Stream.WriteAsync(data);
            await upload.CommitAsync(CancellationToken.None);
        }

        Assert.Equal(["a.dump"], destination.List(".dump"));
        Assert.Equal(size, destination.Size("a.dump"));
        await using (var read = destination.OpenRead("a.dump"))
        {
            Assert.Equal(size, read.Length);
            Assert.Equal(SHA256.HashData(data), await SHA256.HashDataAsync(read));
        }

        Assert.Equal(["nightly/db/a.dump"], Server.StoredKeys());
        destination.Delete("a.dump");
        Assert.Empty(destination.List(".dump"));
        Assert.Empty(Server.StoredKeys());
    }

    [Fact]
    public async Task Create_DisposedWithoutCommitAfterParts_LeavesNoObject()
    {
        using var destination = Destination();

        await using (var upload = destination.Create("b.dump"))
        {
            await upload.Stream.WriteAsync(Bytes((S3BackupDestination.MinimumPartSize * 2) + 1));
        }

        Assert.Empty(destination.List(".dump"));
        Assert.Empty(Server.StoredKeys());
    }

    [Fact]
    public async Task Commit_ServerKilledMidUpload_FailsAndNoObjectAppearsAfterRestart()
    {
        using var destination = Destination();
        var upload = destination.Create("c.dump");
        await upload.Stream.WriteAsync(Bytes(S3BackupDestination.MinimumPartSize + 1000));

        await Server.KillAsync();
        var failure = await Assert.ThrowsAsync<BackupException>(() => upload.CommitAsync(CancellationToken.None));
        await upload.DisposeAsync();
        await Server.RestartAsync();

        Assert.StartsWith($"uploading part 2 of s3://{S3Server.Bucket}/nightly/db/c.dump failed: ", failure.Message, StringComparison.Ordinal);
        Assert.Empty(destination.List(".dump"));
        Assert.Empty(Server.StoredKeys());
    }

    [Fact]
    public void List_UnknownAccessKey_FailsWithTheStoresOwnReason()
    {
        using var destination = Destination(accessKey: "NOBODY");

        var failure = Assert.Throws<BackupException>(() => destination.List(".dump"));

        Assert.Equal(
            $"listing s3://{S3Server.Bucket}/nightly/db/ failed: S3 refused it (403 InvalidAccessKeyId): The AWS Access Key Id you provided does not exist in our records.",
            failure.Message);
    }
}
