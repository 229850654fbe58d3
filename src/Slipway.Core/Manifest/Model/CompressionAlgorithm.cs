namespace Slipway.Core.Manifest.Model;

internal enum CompressionAlgorithm
{
    Br,
    Gzip,
}
