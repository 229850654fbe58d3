namespace Slipway.Core.Manifest.Model;

internal enum BackupCompression
{
    None,
    Gzip,
    Brotli,
    Zstd,
    Lz4,
}
