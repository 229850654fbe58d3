using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Slipway.Proxy.Edge;

/// <summary>
/// The response headers the edge adds and removes, compiled once: on every response, the backend's and the
/// proxy's own answers (404, 429, 502...) alike. The preset's headers are defaults (a backend that sends its own
/// <c>X-Frame-Options</c> keeps it); <c>set</c> replaces whatever the backend sent; <c>remove</c> strips.
/// </summary>
/// <remarks>
/// <c>Strict-Transport-Security</c>, the preset's or one in <c>set</c>, only over HTTPS (RFC 6797 §7.2: a server
/// must not send it over plain HTTP): a request is HTTPS when its connection is, or when a trusted proxy says so in
/// <c>X-Forwarded-Proto</c>.
/// </remarks>
internal sealed class ResponseHeaders
{
    public const string StrictTransportSecurity = "Strict-Transport-Security";

    private readonly (string Name, StringValues Value)[] _defaults;
    private readonly (string Name, StringValues Value)[] _httpsDefaults;
    private readonly (string Name, StringValues Value)[] _set;
    private readonly (string Name, StringValues Value)[] _httpsSet;
    private readonly string[] _remove;

    public ResponseHeaders(ResponseHeaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var overridden = new HashSet<string>([.. options.Set.Keys, .. options.Remove], StringComparer.OrdinalIgnoreCase);
        (string, StringValues)[] preset = options.Secure
            ?
            [
                ("X-Content-Type-Options", "nosniff"),
                ("X-Frame-Options", "DENY"),
                ("Referrer-Policy", "strict-origin-when-cross-origin"),
            ]
            : [];
        _defaults = [.. preset.Where(h => !overridden.Contains(h.Item1))];
        _httpsDefaults = options.Secure && !overridden.Contains(StrictTransportSecurity)
            ? [.. _defaults, (StrictTransportSecurity, "max-age=31536000")]
            : _defaults;
        _httpsSet = [.. options.Set.Select(h => (h.Key, new StringValues(h.Value)))];
        _set = [.. _httpsSet.Where(h => !string.Equals(h.Item1, StrictTransportSecurity, StringComparison.OrdinalIgnoreCase))];
        _remove = [.. options.Remove];
    }

    public static ResponseHeaders None { get; } = new(new ResponseHeaderOptions());

    public bool IsEmpty => _httpsDefaults.Length == 0 && _httpsSet.Length == 0 && _remove.Length == 0;

    public void Apply(IHeaderDictionary headers, bool https)
    {
        foreach (var name in _remove)
        {
            headers.Remove(name);
        }

        foreach (var (name, value) in https ? _httpsDefaults : _defaults)
        {
            if (!headers.ContainsKey(name))
            {
                headers[name] = value;
            }
        }

        foreach (var (name, value) in https ? _httpsSet : _set)
        {
            headers[name] = value;
        }
    }
}
