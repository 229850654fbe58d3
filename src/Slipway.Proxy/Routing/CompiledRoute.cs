using Microsoft.AspNetCore.Http;
using Slipway.Core.Routing;
using Slipway.Proxy.Edge;

namespace Slipway.Proxy.Routing;

/// <summary>A route with its defaults resolved and its matching data laid out for the request path.</summary>
internal sealed class CompiledRoute
{
    private readonly string[] _methods;
    private readonly KeyValuePair<string, string>[] _headers;

    public CompiledRoute(RouteModel model, CompiledService? service, ProxyDefaults defaults, EdgePipeline? edge = null)
    {
        Edge = edge ?? EdgePipeline.None;
        Model = model;
        Name = model.Name;
        Service = service;
        Policy = model.Policy;
        PathPrefix = NormalizePrefix(model.PathPrefix);
        _methods = [.. model.Methods];
        _headers = [.. model.Headers];
        ConnectTimeout = model.Policy.ConnectTimeout ?? defaults.ConnectTimeout;
        FirstByteTimeout = model.Policy.FirstByteTimeout ?? defaults.FirstByteTimeout;
        IdleTimeout = model.Policy.IdleTimeout ?? defaults.IdleTimeout;
    }

    public RouteModel Model { get; }

    public string Name { get; }

    /// <summary>Null when the route names a service the table does not have.</summary>
    public CompiledService? Service { get; }

    public RoutePolicy Policy { get; }

    /// <summary>The edge steps a request of this route passes before it is forwarded.</summary>
    public EdgePipeline Edge { get; }

    /// <summary>Without a trailing slash, except the root <c>/</c>.</summary>
    public string PathPrefix { get; }

    public TimeSpan ConnectTimeout { get; }

    public TimeSpan FirstByteTimeout { get; }

    public TimeSpan IdleTimeout { get; }

    /// <summary>How specific the route is past its host: longer prefixes, then more conditions, win.</summary>
    public int Specificity => (PathPrefix.Length * 64) + (_methods.Length > 0 ? 32 : 0) + Math.Min(31, _headers.Length);

    public bool Matches(string path, string method, IHeaderDictionary headers)
    {
        if (!PathMatches(PathPrefix, path))
        {
            return false;
        }

        if (_methods.Length > 0 && !MethodMatches(method))
        {
            return false;
        }

        foreach (var (name, value) in _headers)
        {
            if (!headers.TryGetValue(name, out var actual) || !AnyEquals(actual, value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Segment-aware: <c>/api</c> matches <c>/api</c> and <c>/api/x</c>, not <c>/apix</c>.</summary>
    public static bool PathMatches(string prefix, string path)
    {
        if (prefix.Length == 1)
        {
            return true;
        }

        return path.StartsWith(prefix, StringComparison.Ordinal)
            && (path.Length == prefix.Length || path[prefix.Length] == '/');
    }

    public static string NormalizePrefix(string prefix)
    {
        if (string.IsNullOrEmpty(prefix) || prefix == "/")
        {
            return "/";
        }

        var trimmed = prefix.TrimEnd('/');
        return trimmed.StartsWith('/') ? trimmed : "/" + trimmed;
    }

    private bool MethodMatches(string method)
    {
        foreach (var allowed in _methods)
        {
            if (string.Equals(allowed, method, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AnyEquals(Microsoft.Extensions.Primitives.StringValues actual, string expected)
    {
        for (var i = 0; i < actual.Count; i++)
        {
            if (string.Equals(actual[i], expected, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
