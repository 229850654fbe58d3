using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Slipway.Proxy.Edge;

/// <summary>
/// An edge listen URL: <c>http://host:port</c> (HTTP/1.1), <c>h2c://host:port</c> (HTTP/2 with
/// prior knowledge) or <c>https://host:port</c> (TLS, HTTP/2 or HTTP/1.1 by ALPN). Kestrel does not sniff
/// the h2c preface on a cleartext HTTP/1.1 endpoint, so cleartext HTTP/2 needs its own listener.
/// Hosts: an IP, <c>localhost</c> (loopback) or <c>*</c>/<c>0.0.0.0</c> (every interface).
/// </summary>
internal sealed record ListenAddress(IPEndPoint EndPoint, HttpProtocols Protocols, bool Tls = false)
{
    public static ListenAddress Parse(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme <= 0)
        {
            throw new FormatException($"listen address '{url}' must look like http://127.0.0.1:8080, https://127.0.0.1:8443 or h2c://127.0.0.1:8081");
        }

        var (protocols, tls) = url[..scheme].ToLowerInvariant() switch
        {
            "http" => (HttpProtocols.Http1, false),
            "h2c" => (HttpProtocols.Http2, false),
            "https" => (HttpProtocols.Http1AndHttp2, true),
            var other => throw new FormatException($"listen address '{url}': scheme '{other}' is not supported (http, https, h2c)"),
        };
        var authority = url[(scheme + 3)..].TrimEnd('/');
        var colon = authority.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(authority[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new FormatException($"listen address '{url}' needs a port between 0 and 65535");
        }

        var host = authority[..colon].Trim('[', ']');
        var address = host switch
        {
            "*" or "+" or "0.0.0.0" => IPAddress.Any,
            "::" => IPAddress.IPv6Any,
            "localhost" => IPAddress.Loopback,
            _ when IPAddress.TryParse(host, out var ip) => ip,
            _ => throw new FormatException($"listen address '{url}': '{host}' is not an IP address, localhost or *"),
        };
        return new ListenAddress(new IPEndPoint(address, port), protocols, tls);
    }
}
