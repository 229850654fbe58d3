namespace Slipway.Proxy.Edge;

/// <summary><c>proxy.compression</c> as the proxy takes it.</summary>
internal sealed record CompressionOptions
{
    /// <summary>Responses whose Content-Length says fewer bytes go as they are; a response of unknown length is compressed.</summary>
    public long MinBytes { get; init; } = 1024;

    /// <summary>In the server's order of preference, among what the client accepts equally.</summary>
    public IReadOnlyList<ContentCoding> Algorithms { get; init; } = [ContentCoding.Brotli, ContentCoding.Gzip];

    /// <summary>Media types to compress; a trailing <c>*</c> matches a prefix (<c>text/*</c>).</summary>
    public IReadOnlyList<string> Types { get; init; } = ["text/*", "application/json"];
}
