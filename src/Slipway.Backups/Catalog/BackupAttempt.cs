using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Slipway.Backups.Catalog;

/// <summary>
/// One backup being taken, logical or physical: its id, its timing, and the two ways it ends. A success is saved and
/// logged; a failure is logged and saved as a <c>status: failed</c> record with no data file (the destination itself
/// may be what failed, so a record that cannot be saved is only logged).
/// </summary>
internal sealed class BackupAttempt
{
    private readonly BackupJob _job;
    private readonly BackupCatalog _catalog;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long _startTimestamp;

    private BackupAttempt(BackupJob job, BackupRecord record, long startTimestamp, TimeProvider time, ILogger logger)
    {
        _job = job;
        _catalog = new BackupCatalog(job.Destination);
        _time = time;
        _logger = logger;
        _startTimestamp = startTimestamp;
        Record = record;
    }

    /// <summary>The record so far (<see cref="BackupStatus.Failed"/> until it succeeds); the runner adds what it learns.</summary>
    public BackupRecord Record { get; set; }

    /// <summary>The tool's stderr, kept on the record whichever way the backup ends.</summary>
    public string Stderr { get; set; } = "";

    public string Id => Record.Id;

    /// <exception cref="BackupException">The destination cannot be listed (for the new id).</exception>
    public static async Task<BackupAttempt> BeginAsync(BackupJob job, string kind, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var startTimestamp = time.GetTimestamp();
        var id = await NewIdAsync(job, started, cancellationToken).ConfigureAwait(false);
        var attempt = new BackupAttempt(job, BackupRecord.Begin(job, id, kind, started), startTimestamp, time, logger);
        BackupLog.Started(logger, job.Name, attempt.Record.Source, attempt.Record.Destination);
        return attempt;
    }

    /// <summary>Records <paramref name="file"/> as the backup's one data file, saves the record and returns it.</summary>
    public async Task<BackupRecord> SucceedAsync(BackupFileRecord file, long rawBytes, CancellationToken cancellationToken)
    {
        Record = Finish() with { Status = BackupStatus.Succeeded, DumpBytes = rawBytes, Files = [file] };
        await _catalog.SaveAsync(Record, cancellationToken).ConfigureAwait(false);
        BackupLog.Succeeded(_logger, _job.Name, Id, file.Bytes, Record.Duration);
        return Record;
    }

    /// <summary>Records the failure (a <see cref="BackupException"/>'s own message, else the destination's write error) and returns the record.</summary>
    public async Task<BackupRecord> FailAsync(Exception error)
    {
        var message = error is BackupException ? error.Message : $"writing to {_job.Destination.Location} failed: {error.Message}";
        Record = Finish() with { Status = BackupStatus.Failed, Error = message, Files = [] };
        BackupLog.Failed(_logger, _job.Name, message);
        try
        {
            await _catalog.SaveAsync(Record, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is BackupException or IOException or UnauthorizedAccessException)
        {
            // The destination itself is what failed; the caller still gets the record.
            BackupLog.RecordFailed(_logger, Record.Name, e.Message);
        }

        return Record;
    }

    private BackupRecord Finish()
    {
        var duration = _time.GetElapsedTime(_startTimestamp);
        return Record with { FinishedAt = Record.StartedAt + duration, Duration = duration, Stderr = Stderr };
    }

    /// <summary>NAME-yyyyMMddTHHmmssZ, with -2, -3… when a backup of the same second is already there.</summary>
    private static async Task<string> NewIdAsync(BackupJob job, DateTimeOffset started, CancellationToken cancellationToken)
    {
        var id = $"{job.Name}-{started.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}";
        var taken = (await job.Destination.ListAsync(BackupRecord.Suffix, cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var candidate = id;
        for (var n = 2; taken.Contains(candidate + BackupRecord.Suffix); n++)
        {
            candidate = $"{id}-{n}";
        }

        return candidate;
    }
}
