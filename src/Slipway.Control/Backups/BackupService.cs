using Microsoft.Extensions.Logging;

namespace Slipway.Control.Backups;

/// <summary>What the CLI and the daemon call: run (then prune), verify, restore. Each step's rules live in its own type.</summary>
internal sealed class BackupService
{
    private readonly PostgresBinaries _binaries;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public BackupService(PostgresBinaries binaries, TimeProvider time, ILogger logger)
    {
        _binaries = binaries;
        _time = time;
        _logger = logger;
    }

    /// <summary>Takes a backup; only after a success does retention run, so a failure can never cost a good backup.</summary>
    public async Task<BackupRecord> RunAsync(BackupJob job, CancellationToken cancellationToken)
    {
        var record = await new BackupRunner(_binaries, _time, _logger).RunAsync(job, cancellationToken).ConfigureAwait(false);
        if (record.Status == BackupStatus.Succeeded)
        {
            Prune(job);
        }

        return record;
    }

    /// <summary>Deletes what <see cref="RetentionPolicy"/> does not keep; returns the deleted ids.</summary>
    public IReadOnlyList<string> Prune(BackupJob job)
    {
        var catalog = new BackupCatalog(job.Destination);
        var history = catalog.List().Where(r => r.Name == job.Name).ToList();
        var decision = RetentionPolicy.Apply(history, job.Retention, _time.LocalTimeZone);
        foreach (var id in decision.Delete)
        {
            catalog.Delete(history.Single(r => r.Id == id));
            BackupLog.Deleted(_logger, id);
        }

        return decision.Delete;
    }

    public async Task<(BackupRecord Record, VerificationRecord Verification)> VerifyAsync(BackupJob job, string? id, CancellationToken cancellationToken)
    {
        var record = new BackupCatalog(job.Destination).Find(job.Name, id);
        var verification = await new BackupVerifier(_binaries, _time, _logger)
            .VerifyAsync(job.Destination, record, job.Key, job.Verify, cancellationToken).ConfigureAwait(false);
        return (record, verification);
    }

    public async Task<BackupRecord> RestoreAsync(BackupJob job, string? id, PostgresSource target, bool force, CancellationToken cancellationToken)
    {
        var record = new BackupCatalog(job.Destination).Find(job.Name, id);
        await new BackupRestorer(_binaries, _time, _logger).RestoreAsync(job.Destination, record, job.Key, target, force, cancellationToken).ConfigureAwait(false);
        return record;
    }
}
