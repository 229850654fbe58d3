using Slipway.Core.Primitives;

namespace Slipway.Backups.Destinations;

/// <summary>
/// A directory on this machine. Files are written as <c>NAME.partial</c>, fsynced, then renamed: rename is
/// atomic on one file system, so a crash leaves either the old state or the complete file, never half of one.
/// A directory it creates is 0700 and every file 0600, whatever the umask: a backup is a copy of the database.
/// </summary>
/// <remarks>
/// File data is read and written asynchronously (<see cref="FileOptions.Asynchronous"/>); opening, listing, sizing,
/// renaming and deleting are single metadata system calls, done in place and handed back as completed tasks.
/// </remarks>
internal sealed class LocalBackupDestination : IBackupDestination
{
    public const string PartialSuffix = ".partial";

    public LocalBackupDestination(string directory) => Location = Path.GetFullPath(directory);

    public string Name => "local";

    public string Location { get; }

    public Task<IBackupUpload> CreateAsync(string fileName, CancellationToken cancellationToken)
    {
        var path = PathOf(fileName);
        try
        {
            PrivateDirectory.Create(Location);
            var options = PrivateFile.Options(FileMode.Create, FileShare.None);
            options.BufferSize = 1 << 16;
            options.Options = FileOptions.Asynchronous;
            var stream = new FileStream(path + PartialSuffix, options);
            return Task.FromResult<IBackupUpload>(new LocalUpload(stream, path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackupException($"the destination {Location} is not writable: {e.Message}", e);
        }
    }

    public Task<Stream> OpenReadAsync(string fileName, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult<Stream>(new FileStream(PathOf(fileName), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BackupException($"the file {fileName} is missing from {Location}", e);
        }
    }

    public Task<IReadOnlyList<string>> ListAsync(string suffix, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(Directory.Exists(Location)
            ? Directory.EnumerateFiles(Location, "*" + suffix).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : []);

    public Task<long> SizeAsync(string fileName, CancellationToken cancellationToken) => Task.FromResult(new FileInfo(PathOf(fileName)).Length);

    public Task DeleteAsync(string fileName, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(fileName));
        return Task.CompletedTask;
    }

    public IBackupDestination Child(string relativePath) => new LocalBackupDestination(Path.Combine(Location, relativePath));

    private string PathOf(string fileName) =>
        fileName.Contains('/', StringComparison.Ordinal) || fileName.StartsWith('.')
            ? throw new ArgumentException($"not a plain file name: {fileName}", nameof(fileName))
            : Path.Combine(Location, fileName);

    private sealed class LocalUpload(FileStream stream, string path) : IBackupUpload
    {
        private bool _committed;

        public Stream Stream => stream;

        public async Task CommitAsync(CancellationToken cancellationToken)
        {
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
            await stream.DisposeAsync().ConfigureAwait(false);
            File.Move(path + PartialSuffix, path, overwrite: true);
            _committed = true;
        }

        public async ValueTask DisposeAsync()
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            if (!_committed)
            {
                File.Delete(path + PartialSuffix);
            }
        }
    }
}
