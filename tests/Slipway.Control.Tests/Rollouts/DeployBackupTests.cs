using Slipway.Backups.Catalog;
using Slipway.Backups.Destinations;
using Slipway.Control.Runtime;
using Slipway.Testing;

namespace Slipway.Control.Tests.Rollouts;

/// <summary><c>hooks.backupFirst</c> against a real PostgreSQL: the backup is taken before the <c>before</c> hook, or the deploy stops there.</summary>
public sealed class DeployBackupTests : IClassFixture<PostgresClusterFixture>
{
    private const string Backups = """
        backups:
          main-db:
            postgres: "env:DATABASE_URL"
            destination: backups
        """;

    // The hook lists the backup destination, so the test sees what existed when it ran.
    private const string Deploy = "{ strategy: blue-green, scaleDownDelay: 0s, hooks: { backupFirst: main-db, before: \"sh -c 'ls backups > seen-by-hook'\" } }";

    private readonly PostgresClusterFixture _pg;

    public DeployBackupTests(PostgresClusterFixture pg) => _pg = pg;

    [Fact]
    public async Task Deploy_BackupFirst_TakenBeforeTheBeforeHookThenPromoted()
    {
        await using var f = new RolloutFixture(Deploy, replicas: 2, appYaml: Backups, environment: new Dictionary<string, string> { ["DATABASE_URL"] = _pg.ShopUrl });
        await f.DeployAsync("2");

        await f.DriveAsync(() => f.Controller.Status("api")?.Outcome is not null, "promotion");

        Assert.Equal(RevisionOutcome.Promoted, f.Controller.Status("api")!.Outcome);
        var backup = Assert.Single(await new BackupCatalog(new LocalBackupDestination(Path.Combine(f.Directory, "backups"))).ListAsync(CancellationToken.None));
        Assert.Equal(BackupStatus.Succeeded, backup.Status);
        Assert.Contains(backup.FileName, await File.ReadAllTextAsync(Path.Combine(f.Directory, "seen-by-hook")), StringComparison.Ordinal);
        var taken = Assert.Single(f.Of("backup-succeeded"));
        Assert.Equal("main-db", taken.Service);
        Assert.Contains(f.Of("rollout-step"), e => e.Message.StartsWith($"backupFirst main-db: backup {backup.Id} taken in ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deploy_BackupFirstFails_NothingStartedOrSwitchedAndTheReasonInTheFailedEvent()
    {
        var wrongPassword = _pg.ShopUrl.Replace(Uri.EscapeDataString(PostgresClusterFixture.Password), "not-the-password", StringComparison.Ordinal);
        await using var f = new RolloutFixture(Deploy, replicas: 2, appYaml: Backups, environment: new Dictionary<string, string> { ["DATABASE_URL"] = wrongPassword });
        var started = await f.DeployAsync("2");

        await f.DriveAsync(() => f.Controller.Status("api")?.Outcome is not null, "the deploy to fail");

        var status = f.Controller.Status("api")!;
        Assert.Equal(RevisionOutcome.Failed, status.Outcome);
        Assert.Empty(f.Host.Started);
        Assert.All(f.Host.Switches, s => Assert.Equal(("1", null), (s.Current, s.Weights)));
        Assert.False(File.Exists(Path.Combine(f.Directory, "seen-by-hook")), "the before hook ran after a failed backup");
        var failed = Assert.Single(f.Of("rollout-failed"));
        Assert.Contains("backupFirst main-db failed, nothing was switched: backup ", failed.Message, StringComparison.Ordinal);
        Assert.True(failed.Message.Contains("wrong password for user postgres", StringComparison.Ordinal), failed.Message);
        Assert.Single(f.Of("backup-failed"));
        Assert.Equal(RevisionOutcome.Failed, f.Store.Revision("api", started.Revision)!.Outcome);
    }
}
