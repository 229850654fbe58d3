using System.Net;
using Slipway.Proxy.Edge.Waf;

namespace Slipway.Proxy.Edge;

/// <summary>
/// What an edge step sees of a request. Nothing here is an <c>HttpContext</c>: the Kestrel front fills it from
/// its request, and a hand-written HTTP/1.1 path can fill it from its own parse and run the same steps.
/// </summary>
internal readonly ref struct EdgeRequest
{
    public EdgeRequest(IPAddress client, ReadOnlySpan<char> path, IEdgeHeaders headers, long timestamp)
    {
        Client = client;
        Path = path;
        Headers = headers;
        Timestamp = timestamp;
    }

    /// <summary>The real client (behind trusted proxies), IPv4-mapped IPv6 addresses as IPv4.</summary>
    public IPAddress Client { get; }

    /// <summary>The decoded path, <c>/</c> at least.</summary>
    public ReadOnlySpan<char> Path { get; }

    public IEdgeHeaders Headers { get; }

    /// <summary>Now, on the proxy's <see cref="TimeProvider"/>.</summary>
    public long Timestamp { get; }

    /// <summary>The request id the client gets back in <c>X-Request-Id</c>.</summary>
    public string? RequestId { get; init; }

    /// <summary>What the WAF inspects; filled only for a route with one (<see cref="EdgePipeline.Waf"/>).</summary>
    public WafRequest Inspected { get; init; }

    /// <summary>Told of a WAF match, so the front can count it with the request.</summary>
    public IWafFindings? Findings { get; init; }
}
