using System.Security.Cryptography;
using Slipway.Backups.Destinations;

namespace Slipway.Backups.Catalog;

/// <summary>Checks stored files against their record before anything trusts them.</summary>
internal static class FileChecksum
{
    /// <exception cref="BackupException">A file is missing, has the wrong size (truncated) or the wrong SHA-256 (corrupted).</exception>
    public static async Task VerifyAsync(IBackupDestination destination, BackupRecord record, CancellationToken cancellationToken)
    {
        if (record.Status != BackupStatus.Succeeded)
        {
            throw new BackupException($"backup {record.Id} failed when it was taken ({record.Error}); there is nothing to verify or restore");
        }

        foreach (var file in record.Files)
        {
            await using var stream = await destination.OpenReadAsync(file.Name, cancellationToken).ConfigureAwait(false);
            var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
            var size = stream.Length;
            if (size != file.Bytes)
            {
                throw new BackupException($"the file {file.Name} is truncated or damaged: it has {size} bytes, the record says {file.Bytes}");
            }

            if (hash != file.Sha256)
            {
                throw new BackupException($"the file {file.Name} is corrupted: its SHA-256 is {hash}, the record says {file.Sha256}");
            }
        }
    }
}
