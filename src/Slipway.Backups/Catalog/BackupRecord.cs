using Slipway.Backups.Crypto;
using Slipway.Backups.Logical;

namespace Slipway.Backups.Catalog;

/// <summary>
/// Everything known about one backup, stored as <c>ID.backup.json</c> beside its data. These files are the
/// catalog (see README.md): a destination copied to another machine still says what it holds.
/// </summary>
internal sealed record BackupRecord
{
    public const string Suffix = ".backup.json";

    /// <summary><c>NAME-yyyyMMddTHHmmssZ</c>: sorts by time, names its backup.</summary>
    public required string Id { get; init; }

    /// <summary>The backup's name in the manifest (<c>main-db</c>).</summary>
    public required string Name { get; init; }

    /// <summary><c>logical</c> (pg_dump) or <c>physical</c> (pg_basebackup, restored with the WAL archive).</summary>
    public required string Kind { get; init; }

    public required BackupStatus Status { get; init; }

    /// <summary><c>user@host:port/database</c>; never a password.</summary>
    public required string Source { get; init; }

    public required string Destination { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset FinishedAt { get; init; }

    public required TimeSpan Duration { get; init; }

    /// <summary>How the dump is compressed: <c>none</c>, <c>gzip (pg_dump -Z6)</c>, <c>brotli</c>.</summary>
    public required string Compression { get; init; }

    public BackupEncryptionRecord? Encryption { get; init; }

    /// <summary>Bytes pg_dump wrote, before Slipway's compression and encryption.</summary>
    public long DumpBytes { get; init; }

    public IReadOnlyList<BackupFileRecord> Files { get; init; } = [];

    /// <summary>Tool name → its <c>--version</c> line.</summary>
    public IReadOnlyDictionary<string, string> Tools { get; init; } = new Dictionary<string, string>();

    public string? ServerVersion { get; init; }

    /// <summary>What pg_dump wrote on stderr (warnings, or the cause of a failure).</summary>
    public string Stderr { get; init; } = "";

    /// <summary>Why it failed, in one line; null when it succeeded.</summary>
    public string? Error { get; init; }

    /// <summary>WAL positions of a physical backup; null for a logical one.</summary>
    public PhysicalBackupRecord? Physical { get; init; }

    /// <summary>The copy to the second destination (<c>copyTo</c>); null without one.</summary>
    public BackupCopyRecord? Copy { get; init; }

    /// <summary>The latest verification, if any.</summary>
    public VerificationRecord? Verification { get; init; }

    public string FileName => Id + Suffix;

    /// <summary>The record of a backup just begun: failed until the runner says otherwise, so a crash leaves the truth.</summary>
    public static BackupRecord Begin(BackupJob job, string id, string kind, DateTimeOffset started) => new()
    {
        Id = id,
        Name = job.Name,
        Kind = kind,
        Status = BackupStatus.Failed,
        Source = job.Source.Describe(),
        Destination = $"{job.Destination.Name}:{job.Destination.Location}",
        StartedAt = started,
        FinishedAt = started,
        Duration = TimeSpan.Zero,
        Compression = DumpFormat.Describe(job.Compression),
        Encryption = job.Key is null ? null : new BackupEncryptionRecord("AES-256-GCM", job.KeySecret ?? "", job.Key.Id, ChunkedEncryption.ChunkSize),
    };
}
