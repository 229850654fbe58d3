using Slipway.Backups.Catalog;
using Slipway.Backups.Crypto;
using Slipway.Backups.Destinations;
using Slipway.Backups.Physical;
using Slipway.Core.Manifest.Model;

namespace Slipway.Backups.Wal;

/// <summary>
/// The WAL archive at a destination that is not a directory here (S3): <c>wal/NAME/</c> under the destination,
/// each file pg_receivewal wrote, gzip-compressed and encrypted like a base backup (<c>SEGMENT.gz[.enc]</c>).
/// Shipped from the local directory pg_receivewal writes into, fetched back into a directory for a restore.
/// </summary>
/// <remarks>
/// <para>
/// Integrity without a record per segment: gzip's CRC-32 and, when encrypted, AES-GCM's tags are checked as a
/// file comes down, and PostgreSQL checks every WAL record's own CRC as it replays.
/// </para>
/// <para>
/// The segment pg_receivewal is still writing (<c>.partial</c>) is shipped too whenever it has grown, under
/// its own name, so the recovery point in the bucket is one ship interval old rather than a segment old. Once the
/// complete segment is up, its <c>.partial</c> is deleted: a restore never prefers an older copy of the same WAL.
/// </para>
/// </remarks>
internal sealed class RemoteWal
{
    private const string CompressedExtension = ".gz";
    private const string PartialExtension = ".partial";
    private readonly EncryptionKey? _key;
    private readonly string? _keySecret;
    private readonly HashSet<string> _shipped = new(StringComparer.Ordinal);
    private (string Name, long Length, DateTime Written)? _lastPartial;

    public RemoteWal(IBackupDestination destination, EncryptionKey? key, string? keySecret)
    {
        Destination = destination;
        _key = key;
        _keySecret = keySecret;
    }

    public IBackupDestination Destination { get; }

    /// <summary><c>000000010000000000000003</c> → <c>000000010000000000000003.gz.enc</c>.</summary>
    public string RemoteName(string localName) => localName + CompressedExtension + (_key is null ? "" : Logical.DumpFormat.EncryptedExtension);

    /// <summary>The file name pg_receivewal gave it, whatever compression and encryption it carries.</summary>
    public static string LocalName(string remoteName)
    {
        var name = remoteName.EndsWith(Logical.DumpFormat.EncryptedExtension, StringComparison.Ordinal) ? remoteName[..^Logical.DumpFormat.EncryptedExtension.Length] : remoteName;
        return name.EndsWith(CompressedExtension, StringComparison.Ordinal) ? name[..^CompressedExtension.Length] : name;
    }

    /// <summary>
    /// Uploads every complete file of <paramref name="local"/> the destination does not have, then the
    /// <c>.partial</c> if it changed since the last call. With <paramref name="deleteShipped"/> (a spool, not an
    /// archive) the local copies of shipped segments go, all but the newest: pg_receivewal resumes after it.
    /// </summary>
    /// <returns>How many files went up.</returns>
    /// <exception cref="BackupException">An upload failed; what went up before it stays up, the rest is tried next time.</exception>
    public async Task<int> ShipAsync(WalArchive local, bool deleteShipped, CancellationToken cancellationToken)
    {
        var remote = (await Destination.ListAsync("", cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var files = local.Files();
        var complete = files.Where(f => !f.EndsWith(PartialExtension, StringComparison.Ordinal)).ToList();
        var shipped = 0;
        // What this instance shipped is not sent again: retention may have deleted it from the bucket since, and the
        // newest segment stays in a spool after shipping.
        foreach (var file in complete.Where(f => !remote.Contains(RemoteName(f)) && !_shipped.Contains(f)))
        {
            if (await UploadAsync(local, file, cancellationToken).ConfigureAwait(false))
            {
                _shipped.Add(file);
                shipped++;
            }
        }

        var newestSegment = complete.LastOrDefault(f => WalSegments.SegmentFile().IsMatch(f));
        foreach (var stale in remote.Where(r => IsPartialUpTo(LocalName(r), newestSegment)))
        {
            await Destination.DeleteAsync(stale, cancellationToken).ConfigureAwait(false);
        }

        if (files.LastOrDefault(f => f.EndsWith(PartialExtension, StringComparison.Ordinal)) is { } partial
            && new FileInfo(Path.Combine(local.Directory, partial)) is { Exists: true } info
            && _lastPartial != (partial, info.Length, info.LastWriteTimeUtc)
            && await UploadAsync(local, partial, cancellationToken).ConfigureAwait(false))
        {
            _lastPartial = (partial, info.Length, info.LastWriteTimeUtc);
            shipped++;
        }

        if (deleteShipped)
        {
            foreach (var segment in complete.Where(f => WalSegments.SegmentFile().IsMatch(f) && f != newestSegment))
            {
                File.Delete(Path.Combine(local.Directory, segment));
            }
        }

        return shipped;
    }

    /// <summary>
    /// Downloads, decrypted and decompressed, every timeline history file and every segment from
    /// <paramref name="fromSegment"/> on into <paramref name="directory"/>; a <c>.partial</c> only where its
    /// complete segment is missing (it is then the newest WAL there is).
    /// </summary>
    /// <returns>How many files came down.</returns>
    /// <exception cref="BackupException">A file is missing, damaged, or the key is wrong.</exception>
    public async Task<int> FetchAsync(string directory, string fromSegment, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var names = await Destination.ListAsync("", cancellationToken).ConfigureAwait(false);
        var complete = names.Select(LocalName).Where(n => !n.EndsWith(PartialExtension, StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        var from = WalSegments.PositionKey(fromSegment);
        var fetched = 0;
        foreach (var name in names)
        {
            var local = LocalName(name);
            var isSegment = WalSegments.SegmentFile().IsMatch(local);
            if ((isSegment && string.CompareOrdinal(WalSegments.PositionKey(local), from) < 0)
                || (local.EndsWith(PartialExtension, StringComparison.Ordinal) && complete.Contains(local[..^PartialExtension.Length])))
            {
                continue;
            }

            try
            {
                await using var source = PhysicalFormat.Reader(await Destination.OpenReadAsync(name, cancellationToken).ConfigureAwait(false), name, _key, _keySecret);
                await using var target = new FileStream(Path.Combine(directory, local), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
                await source.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException e)
            {
                throw new BackupException($"the WAL file {Destination.Location}{name} is damaged: {e.Message}", e);
            }

            fetched++;
        }

        return fetched;
    }

    /// <summary>Deletes the shipped WAL no kept backup needs (<see cref="WalRetention"/>); returns the local names deleted.</summary>
    public async Task<IReadOnlyList<string>> PruneAsync(IEnumerable<BackupRecord> keptBackups, CancellationToken cancellationToken)
    {
        var names = await Destination.ListAsync("", cancellationToken).ConfigureAwait(false);
        var prunable = WalRetention.Prunable(names.Select(LocalName), keptBackups).ToHashSet(StringComparer.Ordinal);
        foreach (var name in names.Where(n => prunable.Contains(LocalName(n))))
        {
            await Destination.DeleteAsync(name, cancellationToken).ConfigureAwait(false);
        }

        return [.. prunable.Order(StringComparer.Ordinal)];
    }

    private static bool IsPartialUpTo(string localName, string? newestSegment) =>
        newestSegment is not null
        && localName.EndsWith(PartialExtension, StringComparison.Ordinal)
        && string.CompareOrdinal(localName[..^PartialExtension.Length], newestSegment) <= 0;

    /// <returns>False when pg_receivewal renamed or removed the file before it could be read.</returns>
    private async Task<bool> UploadAsync(WalArchive local, string file, CancellationToken cancellationToken)
    {
        FileStream input;
        try
        {
            input = new FileStream(Path.Combine(local.Directory, file), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.Asynchronous);
        }
        catch (FileNotFoundException)
        {
            return false;
        }

        await using (input.ConfigureAwait(false))
        {
            await using var upload = await Destination.CreateAsync(RemoteName(file), cancellationToken).ConfigureAwait(false);

            // Left open: the upload's stream is committed below, after compression and encryption have written their last bytes.
            var counting = new HashingStream(upload.Stream, leaveOpen: true);
            await using (var sink = PhysicalFormat.Writer(counting, BackupCompression.Gzip, _key))
            {
                await input.CopyToAsync(sink, cancellationToken).ConfigureAwait(false);
            }

            await upload.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return true;
    }
}
