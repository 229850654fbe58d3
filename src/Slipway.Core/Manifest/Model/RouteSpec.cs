using System.Net;
using Slipway.Core.Manifest.Binding;

namespace Slipway.Core.Manifest.Model;

/// <summary>Which requests reach the service. The most specific matching route wins.</summary>
internal sealed record RouteSpec : IValidatedSpec
{
    /// <summary>Exact host or <c>*.example.com</c>; any host when absent.</summary>
    public string? Host { get; init; }

    /// <summary>Path prefix, matched segment by segment.</summary>
    public string Path { get; init; } = "/";

    /// <summary>Methods this route takes; all when empty.</summary>
    public IReadOnlyList<string> Methods { get; init; } = [];

    /// <summary>Request headers that must be present with these values.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Allow WebSocket upgrades on this route.</summary>
    public bool Websocket { get; init; }

    public Affinity Affinity { get; init; } = Affinity.None;

    public RateLimitSpec? RateLimit { get; init; }

    /// <summary>Inspect requests for SQL injection, XSS, path traversal and command injection; log, count, and in block mode refuse them.</summary>
    public WafSpec? Waf { get; init; }

    /// <summary>When set, only clients in these ranges may use the route (beside the service's own list); others get 403.</summary>
    public IReadOnlyList<IPNetwork>? Allow { get; init; }

    /// <summary>Clients in these ranges get 403 on this route.</summary>
    public IReadOnlyList<IPNetwork> Deny { get; init; } = [];

    public TimeoutsSpec Timeouts { get; init; } = new();

    private static readonly HashSet<string> KnownMethods =
        new(StringComparer.Ordinal) { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT" };

    public void Validate(SpecContext context)
    {
        if (!Path.StartsWith('/') || Path.Contains("//", StringComparison.Ordinal) || Path.Any(c => char.IsWhiteSpace(c) || c is '?' or '#'))
        {
            context.Error("path", $"must start with '/' and hold no spaces, '?', '#' or '//' (got {ScalarParsers.Quote(Path)})");
        }

        if (Host is not null && !IsValidHost(Host))
        {
            context.Error("host", $"must be a host name such as api.example.com or *.example.com (got {ScalarParsers.Quote(Host)})");
        }

        for (var i = 0; i < Methods.Count; i++)
        {
            if (!KnownMethods.Contains(Methods[i]))
            {
                var hint = Suggestions.Closest(Methods[i], KnownMethods);
                context.Error($"methods[{i}]", $"is not an HTTP method (got {ScalarParsers.Quote(Methods[i])})" + (hint is null ? "" : $"; did you mean `{hint}`?"));
            }
        }
    }

    private static bool IsValidHost(string host)
    {
        var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
        if (name.Length is 0 or > 253)
        {
            return false;
        }

        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-'
                || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }
}
