using System.Text.Json;
using Slipway.Backups.Destinations;

namespace Slipway.Backups.Catalog;

/// <summary>
/// The backups at a destination, read from their <c>ID.backup.json</c> records. There is no separate index to
/// drift from the files: deleting a backup's files removes it from the catalog, copying them restores it.
/// </summary>
internal sealed class BackupCatalog
{
    private readonly IBackupDestination _destination;

    public BackupCatalog(IBackupDestination destination) => _destination = destination;

    /// <summary>Every readable record, oldest first. Unreadable ones are reported in <paramref name="problems"/>.</summary>
    public async Task<IReadOnlyList<BackupRecord>> ListAsync(CancellationToken cancellationToken, List<string>? problems = null)
    {
        var records = new List<BackupRecord>();
        foreach (var file in await _destination.ListAsync(BackupRecord.Suffix, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await using var stream = await _destination.OpenReadAsync(file, cancellationToken).ConfigureAwait(false);
                if (await JsonSerializer.DeserializeAsync(stream, BackupJsonContext.Default.BackupRecord, cancellationToken).ConfigureAwait(false) is { } record)
                {
                    records.Add(record);
                }
            }
            catch (Exception e) when (e is JsonException or IOException or BackupException)
            {
                problems?.Add($"{file}: {e.Message}");
            }
        }

        return records.OrderBy(r => r.StartedAt).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>The backup with <paramref name="id"/>, or the newest successful one of <paramref name="name"/> when id is null.</summary>
    /// <exception cref="BackupException">There is no such backup.</exception>
    public async Task<BackupRecord> FindAsync(string name, string? id, CancellationToken cancellationToken)
    {
        var all = (await ListAsync(cancellationToken).ConfigureAwait(false)).Where(r => r.Name == name).ToList();
        if (id is null)
        {
            return all.LastOrDefault(r => r.Status == BackupStatus.Succeeded)
                ?? throw new BackupException($"there is no successful backup in {_destination.Location}");
        }

        return all.FirstOrDefault(r => r.Id == id)
            ?? throw new BackupException($"there is no backup {id} in {_destination.Location}");
    }

    public async Task SaveAsync(BackupRecord record, CancellationToken cancellationToken)
    {
        await using var upload = await _destination.CreateAsync(record.FileName, cancellationToken).ConfigureAwait(false);
        await JsonSerializer.SerializeAsync(upload.Stream, record, BackupJsonContext.Default.BackupRecord, cancellationToken).ConfigureAwait(false);
        await upload.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the data first and the record last: an interrupted delete leaves a record whose verify fails, never unlisted data.</summary>
    public async Task DeleteAsync(BackupRecord record, CancellationToken cancellationToken)
    {
        foreach (var file in record.Files)
        {
            await _destination.DeleteAsync(file.Name, cancellationToken).ConfigureAwait(false);
        }

        await _destination.DeleteAsync(record.FileName, cancellationToken).ConfigureAwait(false);
    }
}
