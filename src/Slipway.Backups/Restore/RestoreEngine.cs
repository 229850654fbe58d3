using Slipway.Backups.Catalog;
using Slipway.Backups.Crypto;
using Slipway.Backups.Destinations;
using Slipway.Backups.Logical;
using Slipway.Backups.Postgres;

namespace Slipway.Backups.Restore;

/// <summary>
/// Feeds a stored backup to <c>pg_restore</c>: checksums first, then the file decrypted and decompressed on
/// the fly into pg_restore's stdin. Shared by verification (into a scratch cluster) and restore (into a target).
/// </summary>
internal static class RestoreEngine
{
    /// <summary>Restores <paramref name="record"/> into <paramref name="target"/>, in one transaction, stopping at the first error.</summary>
    /// <exception cref="BackupException">Checksums, decryption or pg_restore failed.</exception>
    public static async Task RestoreAsync(
        PostgresBinaries binaries, IBackupDestination destination, BackupRecord record, EncryptionKey? key, PostgresSource target, bool clean, CancellationToken cancellationToken)
    {
        await FileChecksum.VerifyAsync(destination, record, cancellationToken).ConfigureAwait(false);
        var file = record.Files.Single();

        // Owners and grants name roles the target may not have; the restoring user owns everything instead.
        var arguments = new List<string> { "-w", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "-d", target.Database };
        if (clean)
        {
            arguments.Add("--clean");
            arguments.Add("--if-exists");
        }

        var result = await PostgresTool.RunAsync(
            new ToolInvocation(binaries.PgRestore, arguments) { Environment = target.ToEnvironment() },
            stdin: async (input, ct) =>
            {
                await using var dump = DumpFormat.Reader(await destination.OpenReadAsync(file.Name, ct).ConfigureAwait(false), file.Name, key, record.Encryption?.KeySecret);
                await dump.CopyToAsync(input, 1 << 16, ct).ConfigureAwait(false);
            },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            throw PostgresErrors.Explain("pg_restore", result, target);
        }
    }
}
