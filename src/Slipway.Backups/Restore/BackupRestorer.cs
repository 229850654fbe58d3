using Microsoft.Extensions.Logging;
using Slipway.Backups.Catalog;
using Slipway.Backups.Crypto;
using Slipway.Backups.Destinations;
using Slipway.Backups.Postgres;

namespace Slipway.Backups.Restore;

/// <summary>Restores a logical backup into a database the operator names, refusing one that already holds tables unless forced.</summary>
internal sealed class BackupRestorer(PostgresBinaries binaries, TimeProvider time, ILogger logger)
{
    // User tables, views and sequences outside the system schemas: a database fresh from createdb has none.
    private const string CountRelations = """
        select count(*) from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\_toast%' and n.nspname not like 'pg\_temp%'
        """;

    /// <param name="force">Restore into a non-empty database, dropping the objects the backup contains first.</param>
    /// <exception cref="BackupException">The target is unreachable or not empty (without force), or the restore failed; it ran in one transaction, so the target is unchanged.</exception>
    public async Task RestoreAsync(IBackupDestination destination, BackupRecord record, EncryptionKey? key, PostgresSource target, bool force, CancellationToken cancellationToken)
    {
        var startTimestamp = time.GetTimestamp();
        var relations = await Psql.QueryAsync(binaries, target, CountRelations, cancellationToken).ConfigureAwait(false);
        if (relations != "0" && !force)
        {
            throw new BackupException($"the target database {target.Describe()} is not empty ({relations} tables, views or sequences); use --force to replace what the backup contains");
        }

        await RestoreEngine.RestoreAsync(binaries, destination, record, key, target, clean: relations != "0", cancellationToken).ConfigureAwait(false);
        BackupLog.Restored(logger, record.Id, target.Describe(), time.GetElapsedTime(startTimestamp));
    }
}
