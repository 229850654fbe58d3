using System.Net;

namespace Slipway.Core.Manifest.Model;

/// <summary>The edge proxy: where it listens and the policies every request passes.</summary>
internal sealed record ProxySpec
{
    /// <summary>URLs to listen on: <c>http://0.0.0.0:8080</c>, <c>https://0.0.0.0:8443</c>.</summary>
    public IReadOnlyList<string> Listen { get; init; } = ["http://127.0.0.1:8080"];

    public TlsSpec? Tls { get; init; }

    /// <summary>
    /// Peers whose <c>X-Forwarded-For</c> is believed: the client address is the first one, read from the right,
    /// that is not in these ranges (nginx's <c>real_ip_recursive</c>). Empty: every peer is the client.
    /// </summary>
    public IReadOnlyList<IPNetwork> TrustedProxies { get; init; } = [];

    public HeadersSpec Headers { get; init; } = new();

    public CompressionSpec? Compression { get; init; }

    public LimitsSpec Limits { get; init; } = new();

    public AccessLogSpec AccessLog { get; init; } = new();
}
