using System.Globalization;
using Microsoft.Extensions.Logging;
using Slipway.Backups.Catalog;
using Slipway.Backups.Postgres;
using Slipway.Backups.Restore;

namespace Slipway.Backups.Drills;

/// <summary>
/// A disaster-recovery drill: restore the newest backup (plus all archived WAL, for a physical one) into a
/// scratch cluster, run the verify queries, and measure RTO and RPO against the manifest's objectives.
/// </summary>
/// <remarks>
/// <para>
/// RPO compares commit timestamps, both read from WAL commit records so the two clocks are the same clock:
/// on the source, <c>pg_last_committed_xact()</c> (needs <c>track_commit_timestamp = on</c>); on the restored
/// copy, <c>pg_last_xact_replay_timestamp()</c>, which stays at the last transaction replayed after recovery
/// ends. No heartbeat table: it would write into the user's database and add WAL of its own. When the source
/// does not track commit timestamps, its <c>now()</c> stands in, an upper bound (an idle source shows as loss).
/// A logical backup holds the data as of pg_dump's snapshot, taken when it started.
/// </para>
/// <para>
/// The source is measured before the restore begins: the RPO is what would have been lost had the source died
/// at that moment. WAL that arrives during the drill only makes the copy newer, which counts as no loss.
/// </para>
/// </remarks>
internal sealed class DrillRunner(PostgresBinaries binaries, TimeProvider time, ILogger logger)
{
    private const string LogicalDatabase = "drill";
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromHours(1);

    /// <summary>Runs the drill; failures are in the report. Throws only when there is no backup to drill, or on cancellation.</summary>
    /// <exception cref="BackupException">There is no successful backup.</exception>
    public async Task<DrillReport> RunAsync(BackupJob job, CancellationToken cancellationToken)
    {
        var record = await new BackupCatalog(job.Destination).FindAsync(job.Name, null, cancellationToken).ConfigureAwait(false);
        var (sourceNewest, sourceBasis) = await SourceNewestAsync(job.Source, cancellationToken).ConfigureAwait(false);
        var start = time.GetTimestamp();
        var queries = new List<VerifyQueryResult>();
        DateTimeOffset? recovered = null;
        var recoveredBasis = "";
        string? error = null;
        var rto = TimeSpan.Zero;
        try
        {
            await using var cluster = record.Physical is not null
                ? await ScratchCluster.StartRestoredAsync(
                    binaries,
                    (dataDirectory, ct) => new PhysicalRestorer(time, logger).RestoreAsync(job.Destination, record, job.Key, job.WalArchive, dataDirectory, null, false, ct),
                    time,
                    RecoveryTimeout,
                    cancellationToken).ConfigureAwait(false)
                : await ScratchCluster.StartAsync(binaries, cancellationToken: cancellationToken).ConfigureAwait(false);
            var database = job.Source.Database;
            if (record.Physical is null)
            {
                database = LogicalDatabase;
                await cluster.SqlAsync($"create database {LogicalDatabase}", cancellationToken: cancellationToken).ConfigureAwait(false);
                await RestoreEngine.RestoreAsync(binaries, job.Destination, record, job.Key, cluster.Source.WithDatabase(LogicalDatabase), clean: false, cancellationToken).ConfigureAwait(false);
            }

            foreach (var sql in job.Verify.Queries)
            {
                var value = await cluster.SqlAsync(sql, database, cancellationToken).ConfigureAwait(false);
                queries.Add(new VerifyQueryResult(sql, value));
                if (!decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number <= 0)
                {
                    throw new BackupException($"verify query `{sql}` returned {(value.Length == 0 ? "nothing" : value)}, not a number greater than 0");
                }
            }

            rto = time.GetElapsedTime(start);
            if (record.Physical is not null
                && ParseEpoch(await cluster.SqlAsync("select extract(epoch from pg_last_xact_replay_timestamp())", cancellationToken: cancellationToken).ConfigureAwait(false)) is { } replayed)
            {
                (recovered, recoveredBasis) = (replayed, "the newest transaction replayed");
            }
            else
            {
                (recovered, recoveredBasis) = (record.StartedAt, record.Physical is null ? "the dump's start" : "the base backup's start (no transaction replayed)");
            }
        }
        catch (BackupException e) when (!cancellationToken.IsCancellationRequested)
        {
            error = e.Message;
            rto = time.GetElapsedTime(start);
        }

        var rpo = DrillReport.DataLoss(sourceNewest, recovered);
        var report = new DrillReport
        {
            BackupId = record.Id,
            Kind = record.Kind,
            Rto = rto,
            Rpo = error is null ? rpo : null,
            RpoBasis = error is null ? $"{sourceBasis} vs {recoveredBasis}" : "",
            SourceNewest = sourceNewest,
            RecoveredNewest = recovered,
            RtoObjective = job.Rto,
            RpoObjective = job.Rpo,
            Queries = queries,
            Error = error,
        };
        BackupLog.Drilled(logger, record.Id, report.Rto, report.Rpo?.ToString() ?? "unknown");
        return report;
    }

    private async Task<(DateTimeOffset? Newest, string Basis)> SourceNewestAsync(PostgresSource source, CancellationToken cancellationToken)
    {
        try
        {
            var tracked = await Psql.QueryAsync(binaries, source, "show track_commit_timestamp", cancellationToken).ConfigureAwait(false) == "on";
            var sql = tracked
                ? "select coalesce(extract(epoch from (select timestamp from pg_last_committed_xact()))::text, '')"
                : "select extract(epoch from now())";
            var newest = ParseEpoch(await Psql.QueryAsync(binaries, source, sql, cancellationToken).ConfigureAwait(false));
            return tracked
                ? (newest, "the source's newest commit")
                : (newest, "the source's clock (track_commit_timestamp is off, so an upper bound)");
        }
        catch (BackupException e)
        {
            return (null, $"unknown: {e.Message}");
        }
    }

    private static DateTimeOffset? ParseEpoch(string text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond))
            : null;
}
