using System.Collections.Immutable;
using System.Net;

namespace Slipway.Core.Routing;

/// <summary>Per-route behaviour of the proxy. Null timeouts mean the proxy's defaults.</summary>
internal sealed record RoutePolicy
{
    public static RoutePolicy Default { get; } = new();

    public bool WebSocket { get; init; }

    /// <summary><c>none</c>, <c>cookie</c> or <c>client-ip</c>: keeps one client on one revision.</summary>
    public AffinityMode Affinity { get; init; } = AffinityMode.None;

    public TimeSpan? ConnectTimeout { get; init; }

    /// <summary>Time to the backend's response headers.</summary>
    public TimeSpan? FirstByteTimeout { get; init; }

    /// <summary>Longest silence on an open body or WebSocket.</summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>
    /// A route of the service's preview host: it reaches only the revision <see cref="ServicePolicy.PreviewRevision"/>
    /// names, and answers 404 when none does.
    /// </summary>
    public bool Preview { get; init; }

    /// <summary>Token bucket per client address, header value or route; null for none.</summary>
    public RateLimitModel? RateLimit { get; init; }

    /// <summary>The web application firewall on this route; null for none.</summary>
    public WafModel? Waf { get; init; }

    /// <summary>Only these client ranges may use the route (beside the service's list); default: no list.</summary>
    public ImmutableArray<IPNetwork> Allow { get; init; }

    /// <summary>Client ranges refused on the route.</summary>
    public ImmutableArray<IPNetwork> Deny { get; init; } = [];
}
