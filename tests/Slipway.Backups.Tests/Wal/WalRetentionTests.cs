using Slipway.Backups.Catalog;
using Slipway.Backups.Wal;

namespace Slipway.Backups.Tests.Wal;

public sealed class WalRetentionTests
{
    private static BackupRecord Physical(string id, string startWalFile, BackupStatus status = BackupStatus.Succeeded) => new()
    {
        Id = id,
        Name = "main-db",
        Kind = "physical",
        Status = status,
        Source = "postgres@127.0.0.1:5432/shop",
        Destination = "local:/backups",
        StartedAt = DateTimeOffset.UnixEpoch,
        FinishedAt = DateTimeOffset.UnixEpoch,
        Duration = TimeSpan.Zero,
        Compression = "gzip",
        Physical = status == BackupStatus.Succeeded ? new PhysicalBackupRecord("0/0", "0/0", 1, startWalFile, startWalFile, 16 << 20) : null,
    };

    private static readonly string[] Archive =
    [
        "000000010000000000000003",
        "000000010000000000000004",
        "000000010000000000000005",
        "000000010000000100000000",
        "00000002.history",
        "000000020000000100000001",
        "000000020000000100000002.partial",
    ];

    [Fact]
    public void Prunable_DeletesOnlySegmentsBeforeTheOldestKeptBackupsStart()
    {
        var kept = new[] { Physical("b2", "000000010000000100000000"), Physical("b1", "000000010000000000000005") };

        var prunable = WalRetention.Prunable(Archive, kept);

        Assert.Equal(["000000010000000000000003", "000000010000000000000004"], prunable);
    }

    [Fact]
    public void Prunable_NeverDeletesTheStartSegmentHistoryFilesOrLaterTimelines()
    {
        var prunable = WalRetention.Prunable(Archive, [Physical("b", "000000020000000100000001")]);

        // Timeline 1's 1/0 precedes the backup's start (1/1 on timeline 2); the history file and 1/1 onwards stay.
        Assert.Equal(["000000010000000000000003", "000000010000000000000004", "000000010000000000000005", "000000010000000100000000"], prunable);
        Assert.DoesNotContain("00000002.history", prunable);
        Assert.DoesNotContain("000000020000000100000001", prunable);
        Assert.DoesNotContain("000000020000000100000002.partial", prunable);
    }

    [Fact]
    public void Prunable_NoKeptPhysicalBackup_DeletesNothing()
    {
        Assert.Empty(WalRetention.Prunable(Archive, []));
        Assert.Empty(WalRetention.Prunable(Archive, [Physical("failed", "", BackupStatus.Failed)]));
    }

    [Fact]
    public async Task Prune_DeletesFromTheArchiveDirectory()
    {
        using var dir = new Slipway.Testing.TempDirectory();
        var archive = new WalArchive(dir.Path, "main-db");
        Directory.CreateDirectory(archive.Directory);
        foreach (var file in Archive)
        {
            File.WriteAllText(Path.Combine(archive.Directory, file), "");
        }

        var deleted = await archive.PruneAsync([Physical("b", "000000010000000000000005")], CancellationToken.None);

        Assert.Equal(["000000010000000000000003", "000000010000000000000004"], deleted);
        Assert.Equal(Archive.Skip(2).Order(StringComparer.Ordinal), archive.Files());
        Assert.Equal("slipway_main_db", archive.SlotName);
    }
}
