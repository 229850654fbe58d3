using System.Collections.Immutable;

namespace Slipway.Core.Routing;

/// <summary>One way in: which requests (host, path prefix, methods, headers) go to which service.</summary>
/// <param name="Name">Stable name used in metrics, e.g. <c>api#0</c>.</param>
/// <param name="Host">Exact host, <c>*.example.com</c>, or null for any host.</param>
/// <param name="PathPrefix">Segment-aware prefix; <c>/</c> matches everything.</param>
/// <param name="Methods">Empty means any method.</param>
/// <param name="Headers">Every listed header must be present with the value (case-insensitive).</param>
internal sealed record RouteModel(
    string Name,
    string Service,
    string? Host,
    string PathPrefix,
    ImmutableArray<string> Methods,
    ImmutableDictionary<string, string> Headers,
    RoutePolicy Policy);
