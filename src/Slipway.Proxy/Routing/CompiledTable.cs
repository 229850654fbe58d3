using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;
using Slipway.Core.Routing;

namespace Slipway.Proxy.Routing;

/// <summary>
/// A <see cref="RoutingTable"/> compiled for lookups: routes grouped by exact host (a frozen
/// dictionary probed with a span, so no host string is cut per request), wildcard suffixes
/// longest first, then host-less routes; each group ordered most specific first.
/// </summary>
internal sealed class CompiledTable
{
    private readonly FrozenDictionary<string, CompiledRoute[]>.AlternateLookup<ReadOnlySpan<char>> _exact;
    private readonly WildcardGroup[] _wildcards;
    private readonly CompiledRoute[] _anyHost;
    private readonly FrozenDictionary<int, CompiledService?> _internalByPort;

    public CompiledTable(
        RoutingTable source,
        FrozenDictionary<string, CompiledRoute[]> exact,
        WildcardGroup[] wildcards,
        CompiledRoute[] anyHost,
        FrozenDictionary<string, CompiledService> services,
        FrozenDictionary<int, CompiledService?> internalByPort)
    {
        Source = source;
        _exact = exact.GetAlternateLookup<ReadOnlySpan<char>>();
        _wildcards = wildcards;
        _anyHost = anyHost;
        Services = services;
        _internalByPort = internalByPort;
        MatchesOnHeaders = anyHost.Any(r => r.MatchesOnHeaders)
            || wildcards.Any(g => g.Routes.Any(r => r.MatchesOnHeaders))
            || exact.Values.Any(routes => routes.Any(r => r.MatchesOnHeaders));
    }

    public static CompiledTable Empty { get; } = new(
        RoutingTable.Empty,
        FrozenDictionary.Create<string, CompiledRoute[]>(StringComparer.OrdinalIgnoreCase),
        [],
        [],
        FrozenDictionary<string, CompiledService>.Empty,
        FrozenDictionary<int, CompiledService?>.Empty);

    public RoutingTable Source { get; }

    public long Generation => Source.Generation;

    /// <summary>Some route matches on request headers: a lookup needs them.</summary>
    public bool MatchesOnHeaders { get; }

    public FrozenDictionary<string, CompiledService> Services { get; }

    /// <summary>
    /// True when the local port is a service-to-service listener; <paramref name="service"/> is then
    /// the service it reaches, or null while the table does not have that service.
    /// </summary>
    public bool IsInternalPort(int localPort, out CompiledService? service)
    {
        service = null;
        return _internalByPort.Count != 0 && _internalByPort.TryGetValue(localPort, out service);
    }

    /// <summary>The most specific route for the request, or null (the caller answers 404).</summary>
    public CompiledRoute? Match(string? hostHeader, string path, string method, IHeaderDictionary headers)
    {
        var host = HostName.Normalize(hostHeader);
        if (!host.IsEmpty)
        {
            if (_exact.TryGetValue(host, out var routes) && First(routes, path, method, headers) is { } exact)
            {
                return exact;
            }

            foreach (var group in _wildcards)
            {
                if (host.Length > group.Suffix.Length
                    && host.EndsWith(group.Suffix, StringComparison.OrdinalIgnoreCase)
                    && First(group.Routes, path, method, headers) is { } wildcard)
                {
                    return wildcard;
                }
            }
        }

        return First(_anyHost, path, method, headers);
    }

    private static CompiledRoute? First(CompiledRoute[] routes, string path, string method, IHeaderDictionary headers)
    {
        foreach (var route in routes)
        {
            if (route.Matches(path, method, headers))
            {
                return route;
            }
        }

        return null;
    }

    /// <summary>Routes for <c>*.example.com</c>, kept as the suffix <c>.example.com</c>.</summary>
    internal sealed record WildcardGroup(string Suffix, CompiledRoute[] Routes);
}
