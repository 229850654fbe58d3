using Microsoft.Extensions.Logging;
using Slipway.Backups.Catalog;
using Slipway.Backups.Crypto;
using Slipway.Backups.Destinations;

namespace Slipway.Backups.Copies;

/// <summary>
/// The second destination (<c>copyTo</c>, pgBackRest's repo2): after a backup is complete at its destination,
/// every successful backup the copy lacks goes there, file by file and its record last, each file checked against
/// the record's SHA-256 on the way. The destination alone decides whether a backup succeeded: a failed copy is
/// retried with backoff, then recorded on the backup and tried again after the next backup, never hiding the first.
/// </summary>
internal sealed class BackupCopier
{
    /// <summary>The waits between attempts: three attempts within a few seconds, then the next backup's catch-up.</summary>
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4)];
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public BackupCopier(TimeProvider time, ILogger logger)
    {
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Brings <paramref name="copy"/> up to date with <paramref name="job"/>'s destination and returns
    /// <paramref name="record"/> with the outcome, which is also saved into the destination's record.
    /// </summary>
    public async Task<BackupRecord> CopyAsync(BackupJob job, IBackupDestination copy, BackupRecord record, CancellationToken cancellationToken)
    {
        string? error = null;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await CatchUpAsync(job, copy, cancellationToken).ConfigureAwait(false);
                error = null;
                break;
            }
            catch (Exception e) when (e is BackupException or IOException && !cancellationToken.IsCancellationRequested)
            {
                error = e.Message;
                BackupLog.CopyFailed(_logger, record.Id, copy.Location, attempt + 1, error);
                if (attempt == Backoff.Length)
                {
                    break;
                }

                await Task.Delay(Backoff[attempt], _time, cancellationToken).ConfigureAwait(false);
            }
        }

        if (error is null)
        {
            // The catch-up saved the outcome on every record it copied, this one included.
            return record with { Copy = new BackupCopyRecord(copy.Location, _time.GetUtcNow(), null) };
        }

        var failed = record with { Copy = new BackupCopyRecord(copy.Location, _time.GetUtcNow(), error) };
        try
        {
            await new BackupCatalog(job.Destination).SaveAsync(failed, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is BackupException or IOException or UnauthorizedAccessException)
        {
            BackupLog.RecordFailed(_logger, record.Name, e.Message);
        }

        return failed;
    }

    /// <summary>Copies, oldest first, each successful backup of the job whose record the copy does not hold.</summary>
    private async Task CatchUpAsync(BackupJob job, IBackupDestination copy, CancellationToken cancellationToken)
    {
        var held = (await copy.ListAsync(BackupRecord.Suffix, cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var source = new BackupCatalog(job.Destination);
        var missing = (await source.ListAsync(cancellationToken).ConfigureAwait(false)).Where(r => r.Name == job.Name && r.Status == BackupStatus.Succeeded && !held.Contains(r.FileName)).ToList();
        foreach (var record in missing)
        {
            foreach (var file in record.Files)
            {
                await CopyFileAsync(job.Destination, copy, file, cancellationToken).ConfigureAwait(false);
            }

            // The record last: the copy lists a backup only once all its data is there.
            var copied = record with { Copy = new BackupCopyRecord(copy.Location, _time.GetUtcNow(), null) };
            await new BackupCatalog(copy).SaveAsync(copied, cancellationToken).ConfigureAwait(false);
            await source.SaveAsync(copied, cancellationToken).ConfigureAwait(false);
            BackupLog.Copied(_logger, record.Id, copy.Location);
        }
    }

    private static async Task CopyFileAsync(IBackupDestination from, IBackupDestination to, BackupFileRecord file, CancellationToken cancellationToken)
    {
        await using var input = await from.OpenReadAsync(file.Name, cancellationToken).ConfigureAwait(false);
        await using var upload = await to.CreateAsync(file.Name, cancellationToken).ConfigureAwait(false);
        var hashing = new HashingStream(upload.Stream, leaveOpen: true);
        await using (hashing.ConfigureAwait(false))
        {
            await input.CopyToAsync(hashing, 1 << 16, cancellationToken).ConfigureAwait(false);
        }

        // A file that changed at the destination since it was recorded is not copied as if it were the backup.
        var hash = hashing.HashHex();
        if (hashing.BytesWritten != file.Bytes || hash != file.Sha256)
        {
            throw new BackupException($"the file {file.Name} at {from.Location} does not match its record ({hashing.BytesWritten} bytes, SHA-256 {hash}); it was not copied");
        }

        await upload.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
