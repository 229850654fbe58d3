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
internal sealed class BackupVerifier(PostgresBinaries binaries, TimeProvider time, ILogger logger)
{
    private const string ScratchDatabase = "verify";

    /// <summary>Verifies and records the outcome; the returned verification says whether it passed. Throws only on cancellation.</summary>
    public async Task<VerificationRecord> VerifyAsync(IBackupDestination destination, BackupRecord record, EncryptionKey? key, VerifySpec spec, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var startTimestamp = time.GetTimestamp();
        var results = new List<VerifyQueryResult>();
        string? error = null;
        try
        {
            await FileChecksum.VerifyAsync(destination, record, cancellationToken).ConfigureAwait(false);
            await using var cluster = await ScratchCluster.StartAsync(binaries, cancellationToken: cancellationToken).ConfigureAwait(false);
            await cluster.SqlAsync($"create database {ScratchDatabase}", cancellationToken: cancellationToken).ConfigureAwait(false);
            var target = cluster.Source.WithDatabase(ScratchDatabase);
            await RestoreEngine.RestoreAsync(binaries, destination, record, key, target, clean: false, cancellationToken).ConfigureAwait(false);
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
            Duration = time.GetElapsedTime(startTimestamp),
            Succeeded = error is null,
            Error = error,
            Queries = results,
        };
        if (error is null)
        {
            BackupLog.Verified(logger, record.Id, verification.Duration);
        }
        else
        {
            BackupLog.VerifyFailed(logger, record.Id, error);
        }

        if (record.Status == BackupStatus.Succeeded)
        {
            await new BackupCatalog(destination).SaveAsync(record with { Verification = verification }, cancellationToken).ConfigureAwait(false);
        }

        return verification;
    }
}
