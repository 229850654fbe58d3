namespace Slipway.Backups.Destinations;

/// <summary>
/// Where backup files go. A file becomes visible under its name only once it is complete and durable
/// (<see cref="IBackupUpload.CommitAsync"/>); a failed or cancelled upload leaves nothing that looks complete.
/// </summary>
/// <remarks>
/// Asynchronous end to end: a remote store's calls wait on sockets, and a thread blocked on one can be the thread
/// its completion needs (the pool's last free worker, or an epoll thread running completions inline). The streams
/// it hands out are read and written asynchronously too; a remote one refuses synchronous reads and writes.
/// </remarks>
internal interface IBackupDestination
{
    /// <summary>The destination kind, e.g. <c>local</c>.</summary>
    string Name { get; }

    /// <summary>Where it is, for messages: a directory, a bucket URL.</summary>
    string Location { get; }

    /// <exception cref="BackupException">The destination cannot be written.</exception>
    Task<IBackupUpload> CreateAsync(string fileName, CancellationToken cancellationToken);

    /// <exception cref="BackupException">The file does not exist.</exception>
    Task<Stream> OpenReadAsync(string fileName, CancellationToken cancellationToken);

    /// <summary>Complete files whose names end with <paramref name="suffix"/>, in ordinal order; never partial uploads.</summary>
    Task<IReadOnlyList<string>> ListAsync(string suffix, CancellationToken cancellationToken);

    Task<long> SizeAsync(string fileName, CancellationToken cancellationToken);

    Task DeleteAsync(string fileName, CancellationToken cancellationToken);

    /// <summary>The same destination one level down (<c>wal/NAME</c>): a directory below this one, or a longer key prefix.</summary>
    IBackupDestination Child(string relativePath);
}
