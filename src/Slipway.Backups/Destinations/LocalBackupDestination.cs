using Slipway.Core.Primitives;

namespace Slipway.Backups.Destinations;

/// <summary>
/// A directory on this machine. Files are written as <c>NAME.partial</c>, fsynced, then renamed: rename is
/// atomic on one file system, so a crash leaves either the old state or the complete file, never half of one.
/// A directory it creates is 0700 and every file 0600, whatever the umask: a backup is a copy of the database.
/// </summary>
internal sealed class LocalBackupDestination : IBackupDestination
{
    public const string PartialSuffix = ".partial";

    public LocalBackupDestination(string directory) => Location = Path.GetFullPath(directory);

    public string Name => "local";

    public string Location { get; }

    public IBackupUpload Create(string fileName)
    {
        var path = PathOf(fileName);
        try
        {
            PrivateDirectory.Create(Location);
            var options = PrivateFile.Options(FileMode.Create, FileShare.None);
            options.BufferSize = 1 << 16;
            options.Options = FileOptions.Asynchronous;
            var stream = new FileStream(path + PartialSuffix, options);
            return new LocalUpload(stream, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackupException($"the destination {Location} is not writable: {e.Message}", e);
        }
    }

    public Stream OpenRead(string fileName)
    {
        try
        {
            return new FileStream(PathOf(fileName), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BackupException($"the file {fileName} is missing from {Location}", e);
        }
    }

    public IReadOnlyList<string> List(string suffix) =>
        Directory.Exists(Location)
            ? Directory.EnumerateFiles(Location, "*" + suffix).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];

    public long Size(string fileName) => new FileInfo(PathOf(fileName)).Length;

    public void Delete(string fileName) => File.Delete(PathOf(fileName));

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
