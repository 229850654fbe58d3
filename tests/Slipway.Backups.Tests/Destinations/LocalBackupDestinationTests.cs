using Slipway.Backups.Destinations;
using Slipway.Testing;

namespace Slipway.Backups.Tests.Destinations;

public sealed class LocalBackupDestinationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Create_UnderTheTestsUmask_DirectoryAndFileOwnerOnly()
    {
        // The test host runs under umask 022: without explicit modes these would be 0755 and 0644.
        var destination = new LocalBackupDestination(_dir.Combine("backups", "shop"));

        await using (var upload = await destination.CreateAsync("main-db.dump", CancellationToken.None))
        {
            await upload.Stream.WriteAsync("a copy of the database"u8.ToArray());
            await upload.CommitAsync(CancellationToken.None);
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_dir.Combine("backups", "shop")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_dir.Combine("backups")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_dir.Combine("backups", "shop", "main-db.dump")));
    }
}
