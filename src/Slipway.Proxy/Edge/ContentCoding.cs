namespace Slipway.Proxy.Edge;

internal enum ContentCoding
{
    None,
    Brotli,
    Gzip,
}
