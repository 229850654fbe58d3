using System.Collections.Frozen;
using Slipway.Proxy.Edge.Waf.Parsing;

namespace Slipway.Proxy.Edge.Waf;

internal static partial class WafInspector
{
    /// <summary>
    /// Headers with a fixed grammar that the server or the proxy itself parses (a value an
    /// application never echoes or pastes into a query), and credentials. The rest — User-Agent,
    /// Referer, Origin, X-Forwarded-*, custom X- headers — applications log, store and reflect.
    /// </summary>
    private static readonly FrozenSet<string> Skipped = new[]
    {
        "accept", "accept-charset", "accept-encoding", "accept-language", "accept-datetime", "authorization",
        "proxy-authorization", "cache-control", "connection", "content-length", "content-type", "content-encoding",
        "content-md5", "expect", "host", "if-match", "if-none-match", "if-modified-since", "if-unmodified-since",
        "if-range", "keep-alive", "pragma", "range", "te", "trailer", "transfer-encoding", "upgrade", "priority",
        "traceparent", "tracestate", "upgrade-insecure-requests", "dnt", "x-request-id", "x-content-length",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static bool InspectHeaders(ReadOnlySpan<WafHeader> headers, ref WafScan scan)
    {
        foreach (var header in headers)
        {
            var name = header.Name;
            if (Skipped.Contains(name) || name.StartsWith("sec-", StringComparison.OrdinalIgnoreCase) || name.StartsWith(':'))
            {
                continue;
            }

            if (string.Equals(name, "Cookie", StringComparison.OrdinalIgnoreCase))
            {
                if (InspectCookies(header.Value, ref scan))
                {
                    return true;
                }

                continue;
            }

            // A Referer is a URL whose query string is form-encoded.
            var plusIsSpace = string.Equals(name, "Referer", StringComparison.OrdinalIgnoreCase);
            if (scan.Value(WafTargetKind.Header, name, header.Value, plusIsSpace))
            {
                return true;
            }
        }

        return false;
    }

    private static bool InspectCookies(ReadOnlySpan<char> header, ref WafScan scan)
    {
        var cookies = new CookiePairs(header);
        while (cookies.Next(out var name, out var value))
        {
            if (scan.Value(WafTargetKind.Cookie, name, name, plusIsSpace: false) || scan.Value(WafTargetKind.Cookie, name, value, plusIsSpace: false))
            {
                return true;
            }
        }

        return false;
    }
}
