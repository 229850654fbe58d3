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
    public IReadOnlyList<BackupRecord> List(List<string>? problems = null)
    {
        var records = new List<BackupRecord>();
        foreach (var file in _destination.List(BackupRecord.Suffix))
        {
            try
            {
                using var stream = _destination.OpenRead(file);
                if (JsonSerializer.Deserialize(stream, BackupJsonContext.Default.BackupRecord) is { } record)
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
    public BackupRecord Find(string name, string? id)
    {
        var all = List().Where(r => r.Name == name).ToList();
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
        await using var upload = _destination.Create(record.FileName);
        await JsonSerializer.SerializeAsync(upload.Stream, record, BackupJsonContext.Default.BackupRecord, cancellationToken).ConfigureAwait(false);
        await upload.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the data first and the record last: an interrupted delete leaves a record whose verify fails, never unlisted data.</summary>
    public void Delete(BackupRecord record)
    {
        foreach (var file in record.Files)
        {
            _destination.Delete(file.Name);
        }

        _destination.Delete(record.FileName);
    }
}
