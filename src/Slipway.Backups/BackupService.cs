using Microsoft.Extensions.Logging;
using Slipway.Backups.Catalog;
using Slipway.Backups.Copies;
using Slipway.Backups.Destinations;
using Slipway.Backups.Drills;
using Slipway.Backups.Logical;
using Slipway.Backups.Physical;
using Slipway.Backups.Postgres;
using Slipway.Backups.Restore;
using Slipway.Backups.Retention;
using Slipway.Backups.Wal;
using Slipway.Core.Manifest.Model;

namespace Slipway.Backups;

/// <summary>What the CLI and the daemon call: run (then prune), verify, restore. Each step's rules live in its own type.</summary>
internal sealed class BackupService(PostgresBinaries binaries, TimeProvider time, ILogger logger)
{
    /// <summary>
    /// Takes a backup, copies it to the second destination if there is one, then applies retention; only after a
    /// success does retention run, so a failure can never cost a good backup. A failed copy is on the record's
    /// <see cref="BackupRecord.Copy"/>: the backup itself succeeded.
    /// </summary>
    public async Task<BackupRecord> RunAsync(BackupJob job, CancellationToken cancellationToken)
    {
        var record = job.Kind == BackupKind.Physical
            ? await new PhysicalBackupRunner(binaries, time, logger).RunAsync(job, cancellationToken).ConfigureAwait(false)
            : await new BackupRunner(binaries, time, logger).RunAsync(job, cancellationToken).ConfigureAwait(false);
        if (record.Status == BackupStatus.Succeeded)
        {
            if (job.Copy is { } copy)
            {
                record = await new BackupCopier(time, logger).CopyAsync(job, copy, record, cancellationToken).ConfigureAwait(false);
            }

            await PruneAsync(job, cancellationToken).ConfigureAwait(false);
        }

        return record;
    }

    /// <summary>
    /// Deletes what <see cref="RetentionPolicy"/> does not keep, then the archived WAL that only deleted backups
    /// needed (<see cref="WalRetention"/>); returns the deleted backup ids.
    /// </summary>
    public async Task<IReadOnlyList<string>> PruneAsync(BackupJob job, CancellationToken cancellationToken)
    {
        var (history, decision) = await PruneAsync(job, job.Destination, cancellationToken).ConfigureAwait(false);
        if (job.Copy is { } copy)
        {
            // The copy keeps by the same rule over what it holds, never by what the destination lost: a destination
            // emptied by a dead disk must not empty its copy.
            try
            {
                await PruneAsync(job, copy, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is BackupException or IOException)
            {
                BackupLog.CopyFailed(logger, job.Name, copy.Location, 1, "retention: " + e.Message);
            }
        }

        if (job.Kind == BackupKind.Physical)
        {
            var kept = history.Where(r => !decision.Delete.Contains(r.Id)).ToList();
            var pruned = await job.WalArchive.PruneAsync(kept, cancellationToken).ConfigureAwait(false);
            if (pruned.Count > 0)
            {
                BackupLog.WalPruned(logger, job.Name, pruned.Count, pruned[^1]);
            }
        }

        return decision.Delete;
    }

    private async Task<(List<BackupRecord> History, RetentionDecision Decision)> PruneAsync(BackupJob job, IBackupDestination destination, CancellationToken cancellationToken)
    {
        var catalog = new BackupCatalog(destination);
        var history = (await catalog.ListAsync(cancellationToken).ConfigureAwait(false)).Where(r => r.Name == job.Name).ToList();
        var decision = RetentionPolicy.Apply(history, job.Retention, time.LocalTimeZone);
        foreach (var id in decision.Delete)
        {
            await catalog.DeleteAsync(history.Single(r => r.Id == id), cancellationToken).ConfigureAwait(false);
            BackupLog.Deleted(logger, id);
        }

        return (history, decision);
    }

    public async Task<(BackupRecord Record, VerificationRecord Verification)> VerifyAsync(BackupJob job, string? id, CancellationToken cancellationToken)
    {
        var record = await new BackupCatalog(job.Destination).FindAsync(job.Name, id, cancellationToken).ConfigureAwait(false);
        if (record.Physical is not null)
        {
            throw new BackupException($"{record.Id} is a physical backup: prove it with `slipway drill {job.Name}`, which restores it with its WAL and runs the verify queries");
        }

        var verification = await new BackupVerifier(binaries, time, logger)
            .VerifyAsync(job.Destination, record, job.Key, job.Verify, cancellationToken).ConfigureAwait(false);
        return (record, verification);
    }

    /// <summary>
    /// A physical restore into <paramref name="dataDirectory"/>: the newest backup that finished before
    /// <paramref name="toTime"/> (or the newest, or <paramref name="id"/>), set to replay the WAL archive to that time.
    /// </summary>
    /// <exception cref="BackupException">No backup is old enough, the target is not empty (without force), or the restore failed.</exception>
    public async Task<BackupRecord> RestoreToDirectoryAsync(BackupJob job, string? id, DateTimeOffset? toTime, string dataDirectory, bool force, CancellationToken cancellationToken)
    {
        var record = id is not null || toTime is null
            ? await new BackupCatalog(job.Destination).FindAsync(job.Name, id, cancellationToken).ConfigureAwait(false)
            : await PhysicalBackupBeforeAsync(job, toTime.Value, cancellationToken).ConfigureAwait(false);
        if (toTime is { } target && record.FinishedAt > target)
        {
            throw new BackupException($"backup {record.Id} finished at {record.FinishedAt:u}, after the target time {target:u}; a restore can only go forward from a backup");
        }

        await new PhysicalRestorer(time, logger).RestoreAsync(job.Destination, record, job.Key, job.WalArchive, dataDirectory, toTime, force, cancellationToken).ConfigureAwait(false);
        return record;
    }

    public Task<DrillReport> DrillAsync(BackupJob job, CancellationToken cancellationToken) =>
        new DrillRunner(binaries, time, logger).RunAsync(job, cancellationToken);

    private static async Task<BackupRecord> PhysicalBackupBeforeAsync(BackupJob job, DateTimeOffset time, CancellationToken cancellationToken)
    {
        var candidates = (await new BackupCatalog(job.Destination).ListAsync(cancellationToken).ConfigureAwait(false))
            .Where(r => r.Name == job.Name && r.Status == BackupStatus.Succeeded && r.Physical is not null)
            .ToList();
        return candidates.LastOrDefault(r => r.FinishedAt <= time)
            ?? throw new BackupException(candidates.Count == 0
                ? $"there is no successful physical backup in {job.Destination.Location}"
                : $"no physical backup finished before {time:u}; the oldest finished at {candidates[0].FinishedAt:u}");
    }

    public async Task<BackupRecord> RestoreAsync(BackupJob job, string? id, PostgresSource target, bool force, CancellationToken cancellationToken)
    {
        var record = await new BackupCatalog(job.Destination).FindAsync(job.Name, id, cancellationToken).ConfigureAwait(false);
        await new BackupRestorer(binaries, time, logger).RestoreAsync(job.Destination, record, job.Key, target, force, cancellationToken).ConfigureAwait(false);
        return record;
    }
}
