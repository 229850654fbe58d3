using System.IO.Compression;
using Slipway.Backups.Crypto;
using Slipway.Backups.Logical;
using Slipway.Core.Manifest.Model;

namespace Slipway.Backups.Physical;

/// <summary>
/// How a base backup is stored: pg_basebackup's tar (data directory plus the WAL to reach consistency), then
/// Slipway's compression, then encryption — so the file is hashed, compressed and encrypted as it streams, and
/// <c>ID.base.tar.gz</c> without encryption is a plain tarball a stock <c>tar</c> unpacks in an emergency.
/// </summary>
internal static class PhysicalFormat
{
    public const string TarExtension = ".base.tar";

    /// <exception cref="BackupException">zstd or lz4, which Slipway does not compress with itself.</exception>
    public static string FileName(string id, BackupCompression compression, bool encrypted) =>
        id + TarExtension + Extension(compression) + (encrypted ? DumpFormat.EncryptedExtension : "");

    public static Stream Writer(Stream file, BackupCompression compression, EncryptionKey? key)
    {
        var stream = key is null ? file : new EncryptingStream(file, key);
        return compression switch
        {
            // Fastest: a base backup is big and mostly pages; level 1 gets most of the ratio for a fraction of the CPU.
            BackupCompression.Gzip => new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: false),
            BackupCompression.Brotli => new BrotliStream(stream, new BrotliCompressionOptions { Quality = 3 }, leaveOpen: false),
            _ => stream,
        };
    }

    /// <summary>The plain tar from a stored file.</summary>
    public static Stream Reader(Stream file, string fileName, EncryptionKey? key, string? keySecret)
    {
        var (stream, plainName) = DumpFormat.Decrypted(file, fileName, key, keySecret);
        return Path.GetExtension(plainName) switch
        {
            ".gz" => new GZipStream(stream, CompressionMode.Decompress, leaveOpen: false),
            ".br" => new BrotliStream(stream, CompressionMode.Decompress, leaveOpen: false),
            _ => stream,
        };
    }

    private static string Extension(BackupCompression compression) => compression switch
    {
        BackupCompression.None => "",
        BackupCompression.Gzip => ".gz",
        BackupCompression.Brotli => ".br",
        _ => throw new BackupException($"compression {DumpFormat.Describe(compression)} is not available for physical backups; use gzip, brotli or none"),
    };
}
