using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Slipway.Backups;
using Slipway.Backups.Postgres;
using Slipway.Control.State;
using Slipway.Server.Preflight;
using Slipway.Server.Preflight.Checks;
using Slipway.Testing;

namespace Slipway.Server.Tests.Preflight;

/// <summary>A backup of a real PostgreSQL that never ran, then ran, then went stale; a drill that missed its RTO.</summary>
public sealed class BackupsCheckTests : IClassFixture<PostgresClusterFixture>, IDisposable
{
    private readonly PostgresClusterFixture _pg;
    private readonly TempDirectory _dir = new();

    public BackupsCheckTests(PostgresClusterFixture pg) => _pg = pg;

    [Fact]
    public async Task RunAsync_BackupNeverRanThenRanThenMissedItsSchedule_FailOkFail()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var context = PreflightSetup.Context(_dir, Manifest(), clock);

        var before = await PreflightSetup.RunAsync(new BackupsCheck(), context);

        Assert.Equal(
            [
                ("backup main-db", PreflightStatus.Fail, "never succeeded: no backup has run", "slipway backup run main-db"),
                ("backup main-db verify", PreflightStatus.Fail, "never verified by a restore", "slipway backup verify main-db"),
                ("backup main-db drill", PreflightStatus.Warn, "no drill has measured the RTO and RPO yet", "slipway drill main-db"),
            ],
            before.Select(f => (f.Subject, f.Status, f.Evidence, f.Fix)));

        var spec = context.Manifest.Backups["main-db"];
        var job = BackupJob.FromSpec("main-db", spec, _dir.Path, _ => null, _ => null);
        var record = await new BackupService(PostgresBinaries.Locate(), TimeProvider.System, NullLogger.Instance).RunAsync(job, CancellationToken.None);
        Assert.True(record.Status == Slipway.Backups.Catalog.BackupStatus.Succeeded, record.Error);

        var taken = (await PreflightSetup.RunAsync(new BackupsCheck(), context))[0];
        Assert.Equal(PreflightStatus.Ok, taken.Status);
        Assert.StartsWith($"newest success {record.Id} at ", taken.Evidence, StringComparison.Ordinal);

        // Two days on, the 02:00 runs since have not succeeded.
        clock.Advance(TimeSpan.FromDays(2));
        var stale = (await PreflightSetup.RunAsync(new BackupsCheck(), context))[0];
        Assert.Equal(PreflightStatus.Fail, stale.Status);
        Assert.Contains("(schedule 0 2 * * *) has not succeeded", stale.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_LastDrillMissedItsObjective_Fails()
    {
        using var store = StateStore.Open(_dir.Combine("store"));
        var at = new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);
        store.AppendEvent(new EventRecord(at.AddDays(-1), "main-db", null, "backup-verified", "drill of main-db-1: RTO 30.0s, RPO 1.0s"));
        store.AppendEvent(new EventRecord(at, "main-db", null, "backup-verified", "drill of main-db-2: RTO 4000.0s (objective missed), RPO 1.0s"));
        var context = PreflightSetup.Context(_dir, Manifest(), new FakeTimeProvider(at.AddHours(1))) with { Store = store };

        var drill = (await PreflightSetup.RunAsync(new BackupsCheck(), context)).Single(f => f.Subject == "backup main-db drill");

        Assert.Equal((PreflightStatus.Fail, "drill of main-db-2: RTO 4000.0s (objective missed), RPO 1.0s (at 2026-12-01 03:00 UTC)"), (drill.Status, drill.Evidence));
    }

    [Fact]
    public async Task RunAsync_S3Destination_ReadsItsCatalogInTheBucket()
    {
        await using var s3 = await S3Server.StartAsync();
        var yaml = $$"""
            app: shop
            services:
              web: { upstream: ["127.0.0.1:9"] }
            backups:
              main-db:
                postgres: "{{_pg.ShopUrl}}"
                destination: "s3://{{S3Server.Bucket}}/shop"
                s3: { endpoint: "{{s3.Endpoint}}", accessKeyId: "env:PREFLIGHT_S3_KEY_ID", secretAccessKey: "env:PREFLIGHT_S3_SECRET" }
            """;
        var keys = new Dictionary<string, string> { ["PREFLIGHT_S3_KEY_ID"] = S3Server.AccessKeyId, ["PREFLIGHT_S3_SECRET"] = S3Server.SecretAccessKey };
        var context = PreflightSetup.Context(_dir, yaml, TimeProvider.System, environment: name => keys.GetValueOrDefault(name));

        var taken = (await PreflightSetup.RunAsync(new BackupsCheck(), context))[0];

        Assert.Equal(("backup main-db", PreflightStatus.Warn, "never succeeded: no backup has run"), (taken.Subject, taken.Status, taken.Evidence));
        Assert.Contains(s3.Requests(), r => r.Contains("list-type=2", StringComparison.Ordinal)); // the catalog was listed
    }

    public void Dispose() => _dir.Dispose();

    private string Manifest() => $$"""
        app: shop
        services:
          web: { upstream: ["127.0.0.1:9"] }
        backups:
          main-db:
            postgres: "{{_pg.ShopUrl}}"
            schedule: "0 2 * * *"
            destination: backups
            verify: { schedule: "@weekly" }
            rto: 1h
        """;
}
