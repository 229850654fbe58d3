using System.Globalization;
using Slipway.Core.Routing;
using Slipway.Proxy.Endpoints;

namespace Slipway.Proxy.Routing;

/// <summary>An endpoint as one table sees it: its address, weight and a cache of request URIs.</summary>
internal sealed class CompiledEndpoint
{
    private const int UriCacheSize = 64;
    private const int MaxCachedTargetLength = 512;
    private static readonly UriCreationOptions Verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };
    private readonly CachedUri?[] _uris = new CachedUri?[UriCacheSize];

    public CompiledEndpoint(EndpointModel model, int index, EndpointState state)
    {
        Model = model;
        Index = index;
        State = state;
        Weight = Math.Max(1, model.Weight);
        var host = model.Host.Contains(':', StringComparison.Ordinal) && !model.Host.StartsWith('[')
            ? "[" + model.Host + "]"
            : model.Host;
        BaseAddress = string.Create(CultureInfo.InvariantCulture, $"http://{host}:{model.Port}");
    }

    public EndpointModel Model { get; }

    public string Id => Model.Id;

    /// <summary>Position in the revision's endpoint array (retries exclude by it).</summary>
    public int Index { get; }

    public int Weight { get; }

    public EndpointState State { get; }

    public string BaseAddress { get; }

    /// <summary>
    /// The backend URI for a request target, sent verbatim (no re-encoding, no dot-segment
    /// removal) as nginx does without a URI part in proxy_pass. Repeated targets reuse the Uri:
    /// Uri is immutable and parsing one is the costliest allocation on the request path.
    /// </summary>
    public Uri GetUri(string pathAndQuery)
    {
        if (pathAndQuery.Length > MaxCachedTargetLength)
        {
            return Create(pathAndQuery);
        }

        var slot = (int)((uint)pathAndQuery.GetHashCode() % UriCacheSize);
        var cached = Volatile.Read(ref _uris[slot]);
        if (cached is not null && string.Equals(cached.Target, pathAndQuery, StringComparison.Ordinal))
        {
            return cached.Uri;
        }

        var uri = Create(pathAndQuery);
        Volatile.Write(ref _uris[slot], new CachedUri(pathAndQuery, uri));
        return uri;
    }

    private Uri Create(string pathAndQuery) => new(BaseAddress + pathAndQuery, in Verbatim);

    private sealed record CachedUri(string Target, Uri Uri);
}
