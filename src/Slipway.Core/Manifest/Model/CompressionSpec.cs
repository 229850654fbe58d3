using Slipway.Core.Primitives;

namespace Slipway.Core.Manifest.Model;

/// <summary>Response compression for clients that accept it.</summary>
internal sealed record CompressionSpec
{
    /// <summary>Smaller responses are sent as they are.</summary>
    public ByteSize MinBytes { get; init; } = new(1024);

    /// <summary>In order of preference.</summary>
    public IReadOnlyList<CompressionAlgorithm> Algorithms { get; init; } = [CompressionAlgorithm.Br, CompressionAlgorithm.Gzip];

    /// <summary>Content types to compress; a trailing <c>*</c> matches a prefix.</summary>
    public IReadOnlyList<string> Types { get; init; } =
        ["text/*", "application/json", "application/javascript", "application/xml", "image/svg+xml"];
}
