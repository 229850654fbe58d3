namespace Slipway.Backups.Destinations;

/// <summary>
/// Where backup files go. A file becomes visible under its name only once it is complete and durable
/// (<see cref="IBackupUpload.CommitAsync"/>); a failed or cancelled upload leaves nothing that looks complete.
/// </summary>
internal interface IBackupDestination
{
    /// <summary>The destination kind, e.g. <c>local</c>.</summary>
    string Name { get; }

    /// <summary>Where it is, for messages: a directory, a bucket URL.</summary>
    string Location { get; }

    /// <exception cref="BackupException">The destination cannot be written.</exception>
    IBackupUpload Create(string fileName);

    /// <exception cref="BackupException">The file does not exist.</exception>
    Stream OpenRead(string fileName);

    /// <summary>Complete files whose names end with <paramref name="suffix"/>; never partial uploads.</summary>
    IReadOnlyList<string> List(string suffix);

    long Size(string fileName);

    void Delete(string fileName);

    /// <summary>The same destination one level down (<c>wal/NAME</c>): a directory below this one, or a longer key prefix.</summary>
    IBackupDestination Child(string relativePath);
}
