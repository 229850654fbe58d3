using System.IO.Compression;
using Slipway.Backups.Crypto;
using Slipway.Core.Manifest.Model;

namespace Slipway.Backups.Logical;

/// <summary>
/// How a dump is compressed and named. gzip is pg_dump's own (<c>-Fc -Z6</c>): the custom format compresses
/// each table's data inside the archive, so the file stays a plain pg_restore archive that stock tools read in
/// an emergency, and compressing it again would only cost CPU. brotli is Slipway's, over an uncompressed
/// archive (<c>-Z0</c>), for smaller files at more CPU. zstd and lz4 are pg_dump's own from PostgreSQL 16.
/// </summary>
internal static class DumpFormat
{
    public const string DumpExtension = ".dump";
    public const string BrotliExtension = ".br";
    public const string EncryptedExtension = ".enc";

    /// <summary>pg_dump's compression arguments.</summary>
    /// <exception cref="BackupException">zstd or lz4 with a pg_dump older than 16.</exception>
    public static IReadOnlyList<string> PgDumpArguments(BackupCompression compression, int pgDumpMajor) => compression switch
    {
        BackupCompression.None or BackupCompression.Brotli => ["-Z0"],
        BackupCompression.Gzip => ["-Z6"],
        BackupCompression.Zstd or BackupCompression.Lz4 when pgDumpMajor >= 16 => ["--compress=" + Describe(compression)],
        _ => throw new BackupException($"compression {Describe(compression)} needs pg_dump 16 or newer (this one is {pgDumpMajor}); use gzip or brotli"),
    };

    public static string Describe(BackupCompression compression) => compression switch
    {
        BackupCompression.None => "none",
        BackupCompression.Gzip => "gzip",
        BackupCompression.Brotli => "brotli",
        BackupCompression.Zstd => "zstd",
        BackupCompression.Lz4 => "lz4",
        _ => compression.ToString(),
    };

    public static string FileName(string id, BackupCompression compression, bool encrypted) =>
        id + DumpExtension + (compression == BackupCompression.Brotli ? BrotliExtension : "") + (encrypted ? EncryptedExtension : "");

    /// <summary>Wraps the file stream with what the dump passes through before it: encryption, then brotli.</summary>
    public static Stream Writer(Stream file, BackupCompression compression, EncryptionKey? key)
    {
        var stream = key is null ? file : new EncryptingStream(file, key);
        return compression == BackupCompression.Brotli
            ? new BrotliStream(stream, new BrotliCompressionOptions { Quality = 5 }, leaveOpen: false)
            : stream;
    }

    /// <summary>The plain pg_restore archive from a stored file; wrong keys and tampering surface as <see cref="BackupException"/> while reading.</summary>
    public static Stream Reader(Stream file, string fileName, EncryptionKey? key, string? keySecret)
    {
        var (stream, plainName) = Decrypted(file, fileName, key, keySecret);
        return plainName.EndsWith(BrotliExtension, StringComparison.Ordinal)
            ? new BrotliStream(stream, CompressionMode.Decompress, leaveOpen: false)
            : stream;
    }

    /// <summary>
    /// A stored file (dump, base backup, WAL) as its plain bytes and its name without <c>.enc</c> when it is encrypted,
    /// refused without the key (naming the secret that holds it); else the file and its name as they are.
    /// </summary>
    public static (Stream Stream, string PlainName) Decrypted(Stream file, string fileName, EncryptionKey? key, string? keySecret)
    {
        if (!fileName.EndsWith(EncryptedExtension, StringComparison.Ordinal))
        {
            return (file, fileName);
        }

        return key is null
            ? throw new BackupException($"{fileName} is encrypted; set the key secret {keySecret ?? "(see encryption.keySecret)"}")
            : (new DecryptingStream(file, key), fileName[..^EncryptedExtension.Length]);
    }
}
