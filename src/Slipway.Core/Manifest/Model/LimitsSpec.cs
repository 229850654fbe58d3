using System.ComponentModel.DataAnnotations;
using Slipway.Core.Primitives;

namespace Slipway.Core.Manifest.Model;

/// <summary>Bounds on what one client may send, as Kestrel and nginx apply them.</summary>
internal sealed record LimitsSpec
{
    public ByteSize MaxRequestBody { get; init; } = new(30L * 1024 * 1024);

    public ByteSize MaxHeaderBytes { get; init; } = new(32 * 1024);

    /// <summary>Open client connections; 0 for no limit.</summary>
    [Range(0, 1_000_000)]
    public int MaxConnections { get; init; }

    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(130);
}
