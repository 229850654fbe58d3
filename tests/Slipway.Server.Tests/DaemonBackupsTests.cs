using Microsoft.Extensions.Logging.Abstractions;
using Slipway.Control.Events;
using Slipway.Control.Secrets;
using Slipway.Core.Manifest;
using Slipway.Testing;

namespace Slipway.Server.Tests;

public sealed class DaemonBackupsTests
{
    /// <summary>
    /// A stateful database's password is set after `up` (its secret can only be set once the API answers): the backup
    /// of that database cannot be resolved at start, and must still be scheduled once the secret is there.
    /// </summary>
    [Fact]
    public async Task RunAsync_PasswordSecretSetAfterStart_BackupScheduledOnceItResolves()
    {
        using var directory = new TempDirectory();
        var manifest = ManifestLoader.LoadText($$"""
            app: t
            backups:
              db:
                host: 127.0.0.1
                port: {{FreePort.Next()}}
                database: app
                user: app
                passwordSecret: DB_PASSWORD
                schedule: "* * * * *"
                destination: {{directory.Combine("backups")}}
            """, directory: directory.Path).Manifest!;
        var secrets = new Dictionary<string, string>();
        var resolver = new SecretResolver(null, name => name.StartsWith(SecretResolver.EnvironmentPrefix, StringComparison.Ordinal)
            ? (secrets.TryGetValue(name[SecretResolver.EnvironmentPrefix.Length..], out var v) ? v : null) : null);
        var clock = TestClock.Create();
        var journal = new EventJournal(null, clock, NullLogger.Instance);
        var events = new System.Collections.Concurrent.ConcurrentQueue<string>();
        journal.Recorded += e => events.Enqueue($"{e.Kind} {e.Message}");
        using var stop = new CancellationTokenSource();

        var running = DaemonBackups.RunAsync(manifest, directory.Path, resolver, clock, NullLoggerFactory.Instance, journal, stop.Token);
        await Wait.UntilAsync(() => events.Any(e => e.Contains("cannot resolve backup db", StringComparison.Ordinal)), "the first attempt to fail");
        lock (secrets)
        {
            secrets["DB_PASSWORD"] = "set-after-up";
        }

        // Past the retry, then past the next minute: the schedule runs and the backup is attempted (nobody listens on
        // its port, so it fails, but as a backup that ran, not as one that could not be resolved).
        await Wait.UntilAsync(() =>
        {
            clock.Advance(TimeSpan.FromSeconds(5));
            return events.Any(e => e.StartsWith("backup-failed backup ", StringComparison.Ordinal));
        }, "the scheduled backup to run", seconds: 60);

        await stop.CancelAsync();
        await running;
        Assert.Single(events, e => e.Contains("cannot resolve", StringComparison.Ordinal));
    }
}
