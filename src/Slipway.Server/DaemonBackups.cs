using Microsoft.Extensions.Logging;
using Slipway.Backups;
using Slipway.Backups.Catalog;
using Slipway.Backups.Postgres;
using Slipway.Backups.Scheduling;
using Slipway.Backups.Wal;
using Slipway.Control.Events;
using Slipway.Control.Secrets;
using Slipway.Core.Configuration;
using Slipway.Core.Manifest.Model;

namespace Slipway.Server;

/// <summary>
/// The daemon's share of the manifest's <c>backups:</c>: each <c>schedule</c> takes a backup, each
/// <c>verify.schedule</c> proves the newest one (a drill for physical backups), and each physical backup's
/// WAL is received continuously. Outcomes are events, under the backup's name.
/// </summary>
internal static class DaemonBackups
{
    /// <summary>A backup's outcome as events under its name: taken or failed, and a failed copy beside a success.</summary>
    public static void Report(EventJournal journal, string name, BackupRecord record)
    {
        journal.Record(name, null, record.Status == BackupStatus.Succeeded ? EventKinds.BackupSucceeded : EventKinds.BackupFailed,
            record.Status == BackupStatus.Succeeded ? $"backup {record.Id} taken in {record.Duration.TotalSeconds:F1}s" : $"backup {record.Id} failed: {record.Error}");
        if (record.Copy is { Error: { } copyError } copy)
        {
            journal.Record(name, null, EventKinds.BackupCopyFailed, $"backup {record.Id} is complete; its copy to {copy.Destination} failed and is tried again after the next backup: {copyError}");
        }
    }

    public static Task RunAsync(AppManifest manifest, string manifestDirectory, SecretResolver secrets, TimeProvider time, ILoggerFactory loggers, EventJournal journal, CancellationToken cancellationToken)
    {
        if (manifest.Backups.Count == 0)
        {
            return Task.CompletedTask;
        }

        var logger = loggers.CreateLogger("Slipway.Backups");
        PostgresBinaries binaries;
        try
        {
            binaries = PostgresBinaries.Locate();
        }
        catch (BackupException e)
        {
            foreach (var name in manifest.Backups.Keys)
            {
                journal.Record(name, null, EventKinds.BackupFailed, e.Message);
            }

            return Task.CompletedTask;
        }

        var service = new BackupService(binaries, time, logger);
        return Task.WhenAll(manifest.Backups.Select(b => RunOneAsync(b.Key, b.Value)));

        // A backup that cannot be resolved yet (its password secret is set after `up`, as a stateful database's own
        // secret is) is tried again every RetryResolveEvery until it can be, rather than left unscheduled until a restart.
        async Task RunOneAsync(string name, BackupSpec spec)
        {
            var job = await ResolveAsync(name, spec, manifestDirectory, secrets, time, journal, cancellationToken).ConfigureAwait(false);
            if (job is null)
            {
                return;
            }

            var tasks = new List<ScheduledBackupTask>();
            if (spec.Schedule is { } schedule)
            {
                tasks.Add(new ScheduledBackupTask($"backup {name}", schedule, async token =>
                {
                    Report(journal, name, await service.RunAsync(job, token).ConfigureAwait(false));
                }));
            }

            if (spec.Verify.Schedule is { } verifySchedule)
            {
                tasks.Add(new ScheduledBackupTask($"verify {name}", verifySchedule, job.Kind == BackupKind.Physical
                    ? async token =>
                    {
                        var report = await service.DrillAsync(job, token).ConfigureAwait(false);
                        journal.Record(name, null, report.Passed ? EventKinds.BackupVerified : EventKinds.BackupVerifyFailed,
                            report.Error ?? $"drill of {report.BackupId}: RTO {report.Rto.TotalSeconds:F1}s{(report.RtoMet ? "" : " (objective missed)")}, RPO {(report.Rpo is { } rpo ? $"{rpo.TotalSeconds:F1}s" : "unknown")}{(report.RpoMet ? "" : " (objective missed)")}");
                    }
                    : async token =>
                    {
                        var (record, verification) = await service.VerifyAsync(job, null, token).ConfigureAwait(false);
                        journal.Record(name, null, verification.Succeeded ? EventKinds.BackupVerified : EventKinds.BackupVerifyFailed,
                            verification.Succeeded ? $"backup {record.Id} restored and checked" : $"backup {record.Id} did not verify: {verification.Error}");
                    }));
            }

            var schedules = new BackupSchedules(tasks, time, logger, (task, e) =>
                journal.Record(name, null, task.Name.StartsWith("verify", StringComparison.Ordinal) ? EventKinds.BackupVerifyFailed : EventKinds.BackupFailed, $"{task.Name}: {e.Message}"));
            await Task.WhenAll(job.Kind == BackupKind.Physical
                ? [schedules.RunAsync(cancellationToken), new WalReceiver(binaries, job.Source, job.WalArchive, time, logger).RunAsync(cancellationToken)]
                : [schedules.RunAsync(cancellationToken)]).ConfigureAwait(false);
        }
    }

    /// <summary>How often a backup that cannot be resolved (a secret not set yet) is tried again.</summary>
    public static readonly TimeSpan RetryResolveEvery = TimeSpan.FromSeconds(10);

    /// <summary>The backup's job once it resolves, with a <c>backup-failed</c> event per new reason it does not; null when stopped first.</summary>
    private static async Task<BackupJob?> ResolveAsync(string name, BackupSpec spec, string manifestDirectory, SecretResolver secrets, TimeProvider time, EventJournal journal,
        CancellationToken cancellationToken)
    {
        string? failing = null;
        while (true)
        {
            try
            {
                return BackupJob.FromSpec(name, spec, manifestDirectory, EnvironmentVariables.Get, secrets.Find);
            }
            catch (BackupException e)
            {
                if (failing != e.Message)
                {
                    journal.Record(name, null, EventKinds.BackupFailed, $"cannot resolve backup {name}: {e.Message}; trying again every {RetryResolveEvery.TotalSeconds:F0}s");
                    failing = e.Message;
                }
            }

            try
            {
                await Task.Delay(RetryResolveEvery, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }
}
