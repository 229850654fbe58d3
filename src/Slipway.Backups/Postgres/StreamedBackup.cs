using Slipway.Backups.Catalog;
using Slipway.Backups.Crypto;
using Slipway.Backups.Destinations;
using Slipway.Core.Processes;

namespace Slipway.Backups.Postgres;

/// <summary>
/// What a tool streamed into a backup file: how the tool ended, the bytes it wrote (before compression and
/// encryption) and the file as stored (size and SHA-256 of what landed on disk).
/// </summary>
internal sealed record StreamedBackup(ToolResult Result, long RawBytes, BackupFileRecord File)
{
    /// <summary>
    /// Runs <paramref name="invocation"/> and copies its stdout through <paramref name="writer"/> (compression,
    /// encryption) into <paramref name="upload"/>, hashing what is written. The upload is left uncommitted: the
    /// caller commits it only once it knows the backup is good.
    /// </summary>
    public static async Task<StreamedBackup> RunAsync(ToolInvocation invocation, IBackupUpload upload, string fileName, Func<Stream, Stream> writer, CancellationToken cancellationToken)
    {
        var hashing = new HashingStream(upload.Stream, leaveOpen: true);
        await using (hashing.ConfigureAwait(false))
        {
            long rawBytes = 0;
            var result = await PostgresTool.RunAsync(
                invocation,
                stdout: async (output, ct) =>
                {
                    await using var sink = writer(hashing);
                    var buffer = new byte[1 << 16];
                    int read;
                    while ((read = await output.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                    {
                        rawBytes += read;
                        await sink.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                    }
                },
                cancellationToken: cancellationToken).ConfigureAwait(false);
            return new StreamedBackup(result, rawBytes, new BackupFileRecord(fileName, hashing.BytesWritten, hashing.HashHex()));
        }
    }
}
