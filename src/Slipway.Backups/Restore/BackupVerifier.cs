using System.Globalization;
using Microsoft.Extensions.Logging;
using Slipway.Backups.Catalog;
using Slipway.Backups.Crypto;
using Slipway.Backups.Destinations;
using Slipway.Backups.Postgres;
using Slipway.Core.Manifest.Model;

namespace Slipway.Backups.Restore;

/// <summary>
/// Proves a backup restores: checksums, a real <c>pg_restore</c> into a scratch cluster, then the manifest's
/// verify queries, each of which must return a number greater than 0. The result is saved into the record.
/// </summary>
internal sealed class BackupVerifier
{
    private const string ScratchDatabase = "verify";
    private readonly PostgresBinaries _binaries;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public BackupVerifier(PostgresBinaries binaries, TimeProvider time, ILogger logger)
    {
        _binaries = binaries;
        _time = time;
        _logger = logger;
    }

    /// <summary>Verifies and records the outcome; the returned verification says whether it passed. Throws only on cancellation.</summary>
    public async Task<VerificationRecord> VerifyAsync(IBackupDestination destination, BackupRecord record, EncryptionKey? key, VerifySpec spec, CancellationToken cancellationToken)
    {
        var started = _time.GetUtcNow();
        var startTimestamp = _time.GetTimestamp();
        var results = new List<VerifyQueryResult>();
        string? error = null;
        try
        {
            await FileChecksum.VerifyAsync(destination, record, cancellationToken).ConfigureAwait(false);
            await using var cluster = await ScratchCluster.StartAsync(_binaries, cancellationToken: cancellationToken).ConfigureAwait(false);
            await cluster.SqlAsync($"create database {ScratchDatabase}", cancellationToken: cancellationToken).ConfigureAwait(false);
            var target = cluster.Source.WithDatabase(ScratchDatabase);
            await RestoreEngine.RestoreAsync(_binaries, destination, record, key, target, clean: false, cancellationToken).ConfigureAwait(false);
            foreach (var sql in spec.Queries)
            {
                var value = await cluster.SqlAsync(sql, ScratchDatabase, cancellationToken).ConfigureAwait(false);
                results.Add(new VerifyQueryResult(sql, value));
                if (!decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number <= 0)
                {
                    throw new BackupException($"verify query `{sql}` returned {(value.Length == 0 ? "nothing" : value)}, not a number greater than 0");
                }
            }
        }
        catch (BackupException e) when (!cancellationToken.IsCancellationRequested)
        {
            error = e.Message;
        }

        var verification = new VerificationRecord
        {
            StartedAt = started,
            Duration = _time.GetElapsedTime(startTimestamp),
            Succeeded = error is null,
            Error = error,
            Queries = results,
        };
        if (error is null)
        {
            BackupLog.Verified(_logger, record.Id, verification.Duration);
        }
        else
        {
            BackupLog.VerifyFailed(_logger, record.Id, error);
        }

        if (record.Status == BackupStatus.Succeeded)
        {
            await new BackupCatalog(destination).SaveAsync(record with { Verification = verification }, cancellationToken).ConfigureAwait(false);
        }

        return verification;
    }
}
