using System.Text.Json;
using Slipway.Backups.Catalog;
using Slipway.Control.State;
using Slipway.Core.Manifest;
using Slipway.Server.Api;
using Slipway.Testing;

namespace Slipway.Server.Tests.Api;

/// <summary>What <c>GET /api/v1/backups</c> answers: the manifest's objectives, the catalog at the destination, the daemon's outcomes.</summary>
public sealed class BackupsApiTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 12, 4, 2, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Backups_CatalogAndOutcomes_EachBackupWithItsVerificationAndObjectives()
    {
        var loaded = ManifestLoader.LoadText("""
            app: shop
            services:
              web: { upstream: ["127.0.0.1:9"] }
            backups:
              main-db:
                postgres: "postgresql://shop@127.0.0.1:5432/shop"
                schedule: "0 2 * * *"
                destination: backups
                verify: { schedule: "@weekly" }
                rto: 1h
                rpo: 24h
            """, directory: _dir.Path);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.FormattedErrors));
        Directory.CreateDirectory(_dir.Combine("backups"));
        Write(Record("main-db-20261204T020000Z", BackupStatus.Succeeded) with
        {
            Files = [new BackupFileRecord("main-db-20261204T020000Z.dump.gz", 4096, "ab")],
            Verification = new VerificationRecord { StartedAt = At.AddHours(1), Duration = TimeSpan.FromSeconds(7), Succeeded = true, Queries = [] },
        });
        Write(Record("main-db-20261205T020000Z", BackupStatus.Failed) with { Error = "pg_dump: connection refused" });
        Write(Record("other-20261205T020000Z", BackupStatus.Succeeded) with { Name = "other" });
        File.WriteAllText(_dir.Combine("backups", "torn.backup.json"), "{");
        using var store = StateStore.Open(_dir.Combine("state"));
        store.AppendEvent(new EventRecord(At, "main-db", null, "backup-verified", "drill of main-db-20261204T020000Z: RTO 7.0s, RPO 0.0s"));
        store.AppendEvent(new EventRecord(At, "main-db", null, "started", "not a backup outcome"));

        var set = Assert.Single(await ApiEndpoints.BackupsAsync(loaded.Manifest!, _dir.Path, _ => null, store, CancellationToken.None));

        Assert.Equal(("main-db", "logical", "0 2 * * *", "@weekly", 3600.0, 86400.0), (set.Name, set.Kind, set.Schedule, set.VerifySchedule, set.RtoObjectiveSeconds, set.RpoObjectiveSeconds));
        Assert.Equal(["main-db-20261204T020000Z", "main-db-20261205T020000Z"], set.Backups.Select(b => b.Id));
        Assert.Equal((4096L, true), (set.Backups[0].Bytes, set.Backups[0].Verification!.Succeeded));
        Assert.Equal("pg_dump: connection refused", set.Backups[1].Error);
        Assert.Equal("backup-verified", Assert.Single(set.Outcomes).Kind);
        Assert.Contains("torn.backup.json", Assert.Single(set.Problems), StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private static BackupRecord Record(string id, BackupStatus status) => new()
    {
        Id = id,
        Name = "main-db",
        Kind = "logical",
        Status = status,
        Source = "shop@127.0.0.1:5432/shop",
        Destination = "local:backups",
        StartedAt = At,
        FinishedAt = At.AddSeconds(3),
        Duration = TimeSpan.FromSeconds(3),
        Compression = "gzip",
    };

    private void Write(BackupRecord record) =>
        File.WriteAllText(_dir.Combine("backups", record.FileName), JsonSerializer.Serialize(record, BackupJsonContext.Default.BackupRecord));
}
