using System.Globalization;
using System.Text.RegularExpressions;
using Slipway.Backups.Catalog;

namespace Slipway.Backups.Wal;

/// <summary>
/// The continuous WAL of one physical backup: <c>DESTINATION/wal/NAME/</c>, written by pg_receivewal
/// (<see cref="WalReceiver"/>), read back by the restored server's <c>restore_command</c>, pruned by retention.
/// </summary>
/// <remarks>
/// It is a plain directory of segment files in PostgreSQL's own layout, so that a restore needs nothing but
/// <c>cp</c> (and works with Slipway gone). Files belong to the OS user that runs the server tools
/// (<c>postgres</c> when Slipway runs as root), because the restored server reads them as that user.
/// </remarks>
internal sealed partial class WalArchive
{
    public WalArchive(string destinationDirectory, string name)
    {
        Name = name;
        Directory = Path.Combine(destinationDirectory, "wal", name);
    }

    public string Name { get; }

    /// <summary>Where pg_receivewal writes: the archive itself, or, with a <see cref="Remote"/>, the spool it is shipped from.</summary>
    public string Directory { get; }

    /// <summary>
    /// The archive when the destination is not a directory here (S3): <see cref="Directory"/> is then only a spool,
    /// whose segments are deleted once shipped, and restores fetch the WAL from here.
    /// </summary>
    public RemoteWal? Remote { get; init; }

    /// <summary>pg_receivewal's own log, beside (not inside) the archive.</summary>
    public string LogPath => Directory + ".log";

    /// <summary>The replication slot that makes the server keep WAL until it is archived: <c>slipway_main_db</c>.</summary>
    public string SlotName => "slipway_" + NotSlotCharacter().Replace(Name.ToLowerInvariant(), "_");

    /// <summary>Every file in the archive (segments, <c>.partial</c>, timeline history), by name.</summary>
    public IReadOnlyList<string> Files() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.EnumerateFiles(Directory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>True once the complete segment <paramref name="fileName"/> is archived (not just its <c>.partial</c>).</summary>
    public bool Has(string fileName) => File.Exists(Path.Combine(Directory, fileName));

    /// <summary>Deletes the WAL no kept backup needs (see <see cref="WalRetention"/>), here and at the remote; returns the names deleted.</summary>
    public async Task<IReadOnlyList<string>> PruneAsync(IReadOnlyList<BackupRecord> keptBackups, CancellationToken cancellationToken)
    {
        var prunable = WalRetention.Prunable(Files(), keptBackups);
        foreach (var file in prunable)
        {
            File.Delete(Path.Combine(Directory, file));
        }

        return Remote is null
            ? prunable
            : [.. prunable.Union(await Remote.PruneAsync(keptBackups, cancellationToken).ConfigureAwait(false), StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// The server's <c>restore_command</c> for a directory of WAL files (the spool, or WAL fetched from a
    /// <see cref="Remote"/>): copy the segment, or the segment pg_receivewal was still writing (its <c>.partial</c>:
    /// the newest WAL there is, which is what makes the recovery point seconds old, not a segment old). The recovery
    /// stops at the end of the valid records in it. A missing file exits 1, which the server reads as "no more WAL".
    /// </summary>
    /// <remarks>
    /// pg_receivewal zero-fills a new <c>.partial</c> to the full segment before it writes WAL into it, so one caught
    /// mid-fill (shipped, or left behind when pg_receivewal stopped) is short and holds only zeros. The server refuses
    /// a short archive file outright ("has wrong size"); padded with zeros to <paramref name="segmentSize"/> it reads as
    /// what it is, the end of the WAL.
    /// </remarks>
    /// <exception cref="BackupException">The path holds characters that would need shell quoting.</exception>
    public static string RestoreCommand(string directory, long segmentSize)
    {
        if (!SafePath().IsMatch(directory))
        {
            throw new BackupException($"the WAL archive path {directory} must consist of letters, digits and / . _ - to be used in restore_command");
        }

        var size = segmentSize.ToString(CultureInfo.InvariantCulture);
        return $"f={directory}/%f; if [ -f \"$f\" ]; then cp \"$f\" \"%p\"; elif [ -f \"$f.partial\" ]; then cp \"$f.partial\" \"%p\" && truncate -s '>{size}' \"%p\"; else exit 1; fi";
    }

    [GeneratedRegex("[^a-z0-9_]", RegexOptions.CultureInvariant)]
    private static partial Regex NotSlotCharacter();

    [GeneratedRegex("^[A-Za-z0-9/._-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex SafePath();
}
