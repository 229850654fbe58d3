namespace Slipway.Backups.Destinations;

/// <summary>One file being written. Disposing without <see cref="CommitAsync"/> discards it.</summary>
internal interface IBackupUpload : IAsyncDisposable
{
    Stream Stream { get; }

    /// <summary>Makes the file durable and visible under its name, all at once.</summary>
    Task CommitAsync(CancellationToken cancellationToken);
}
