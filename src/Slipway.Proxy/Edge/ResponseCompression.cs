using System.IO.Compression;

namespace Slipway.Proxy.Edge;

/// <summary>
/// Which responses are compressed, and how. Never a HEAD, a response already encoded, a partial one (206 or
/// <c>Content-Range</c>), one marked <c>Cache-Control: no-transform</c>, one without a body, a type not listed,
/// or one whose <c>Content-Length</c> is under <see cref="CompressionOptions.MinBytes"/>. A compressible response
/// carries <c>Vary: Accept-Encoding</c> whichever coding this client got, so caches keep the variants apart.
/// </summary>
/// <remarks>
/// Levels, measured in CPU time per response on a 10 KB JSON list (bench figures are for the lead's quiet machine;
/// these are from a busy one, CPU time rather than wall time): gzip 1 took 19 µs for 29 % of the size, gzip 4
/// 39 µs for 20 %, gzip 6 46 µs for 19.5 %; brotli 1 25 µs for 23 %, brotli 2 43 µs for 19 %, brotli 4 67 µs for
/// 18 %. The proxy shares two cores with the services and forwards a request in about that much CPU, so each
/// coding runs at its cheapest level (gzip 1 is also nginx's default): the next level would double the cost of
/// a compressed response to save 13-17 % of its bytes.
/// </remarks>
internal sealed class ResponseCompression
{
    public const int GzipLevel = 1;
    public const int BrotliQuality = 1;

    private readonly CompressionOptions _options;
    private readonly string[] _exactTypes;
    private readonly string[] _typePrefixes;

    public ResponseCompression(CompressionOptions options)
    {
        _options = options;
        _exactTypes = [.. options.Types.Where(t => !t.EndsWith('*'))];
        _typePrefixes = [.. options.Types.Where(t => t.EndsWith('*')).Select(t => t[..^1])];
    }

    /// <summary>Whether some client could get this response compressed (then it varies by Accept-Encoding).</summary>
    /// <param name="contentLength">Null when unknown (streamed): such a response is compressed as it streams.</param>
    public bool IsCandidate(int status, string? contentType, bool encoded, bool partial, string? cacheControl, long? contentLength)
    {
        if (status is < 200 or 204 or 206 or 304 || encoded || partial || contentLength < _options.MinBytes)
        {
            return false;
        }

        if (cacheControl is not null && cacheControl.Contains("no-transform", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return contentType is not null && IsListedType(contentType.AsSpan());
    }

    /// <summary>The coding for this client (none for HEAD: its headers must match what GET would send uncompressed).</summary>
    public ContentCoding Choose(bool head, ReadOnlySpan<char> acceptEncoding) =>
        head || acceptEncoding.IsEmpty ? ContentCoding.None : AcceptEncoding.Choose(acceptEncoding, _options.Algorithms);

    /// <summary>A compressing stream over the response body; each flush sends what was compressed so far.</summary>
    public static Stream Wrap(Stream body, ContentCoding coding) => coding switch
    {
        ContentCoding.Brotli => new BrotliStream(body, new BrotliCompressionOptions { Quality = BrotliQuality }, leaveOpen: true),
        ContentCoding.Gzip => new GZipStream(body, new ZLibCompressionOptions { CompressionLevel = GzipLevel }, leaveOpen: true),
        _ => throw new ArgumentOutOfRangeException(nameof(coding)),
    };

    public static string Token(ContentCoding coding) => coding == ContentCoding.Brotli ? "br" : "gzip";

    private bool IsListedType(ReadOnlySpan<char> contentType)
    {
        var semicolon = contentType.IndexOf(';');
        var media = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
        foreach (var exact in _exactTypes)
        {
            if (media.Equals(exact, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (var prefix in _typePrefixes)
        {
            if (media.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
