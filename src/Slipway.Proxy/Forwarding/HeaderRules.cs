namespace Slipway.Proxy.Forwarding;

/// <summary>
/// Classifies header names by length then ordinal-ignore-case comparison: no hashing, no
/// allocation, and Kestrel's known header names hit the first comparison.
/// </summary>
internal static class HeaderRules
{
    public static HeaderRule ForRequest(string name) => name.Length switch
    {
        2 => Is(name, "TE") ? HeaderRule.Drop : HeaderRule.Copy,
        4 => Is(name, "Host") ? HeaderRule.Proxy : HeaderRule.Copy,
        6 => Is(name, "Expect") ? HeaderRule.Proxy : HeaderRule.Copy,
        7 => Is(name, "Upgrade") ? HeaderRule.Upgrade : HeaderRule.Copy,
        9 => Is(name, ProxyHeaderNames.Forwarded) ? HeaderRule.Drop : Is(name, ProxyHeaderNames.XRealIp) ? HeaderRule.Proxy : HeaderRule.Copy,
        10 => Is(name, "Connection") ? HeaderRule.Upgrade : Is(name, "Keep-Alive") ? HeaderRule.Drop : HeaderRule.Copy,
        12 => Is(name, ProxyHeaderNames.XRequestId) ? HeaderRule.Proxy : HeaderRule.Copy,
        13 => Is(name, "HTTP2-Settings") ? HeaderRule.Drop : HeaderRule.Copy,
        15 => Is(name, ProxyHeaderNames.XForwardedFor) ? HeaderRule.Proxy : HeaderRule.Copy,
        16 => Is(name, ProxyHeaderNames.XForwardedHost) ? HeaderRule.Proxy : Is(name, "Proxy-Connection") ? HeaderRule.Drop : HeaderRule.Copy,
        17 => Is(name, "Transfer-Encoding") ? HeaderRule.Drop : Is(name, ProxyHeaderNames.XForwardedProto) ? HeaderRule.Proxy : HeaderRule.Copy,
        18 => Is(name, "Proxy-Authenticate") ? HeaderRule.Drop : HeaderRule.Copy,
        19 => Is(name, "Proxy-Authorization") ? HeaderRule.Drop : HeaderRule.Copy,
        _ => HeaderRule.Copy,
    };

    /// <summary>True for response headers that must not reach the client (hop-by-hop).</summary>
    public static bool DropFromResponse(string name, bool upgraded) => name.Length switch
    {
        2 => Is(name, "TE"),
        7 => !upgraded && Is(name, "Upgrade"),
        10 => (!upgraded && Is(name, "Connection")) || Is(name, "Keep-Alive"),
        16 => Is(name, "Proxy-Connection"),
        17 => Is(name, "Transfer-Encoding"),
        18 => Is(name, "Proxy-Authenticate"),
        _ => false,
    };

    /// <summary>True when a Connection header value names <paramref name="name"/> (which then is hop-by-hop too).</summary>
    public static bool ConnectionNames(string? connection, string name)
    {
        if (string.IsNullOrEmpty(connection))
        {
            return false;
        }

        foreach (var range in connection.AsSpan().Split(','))
        {
            if (connection.AsSpan(range).Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the Connection header names anything beyond the usual keep-alive/close/upgrade tokens.</summary>
    public static bool NamesOtherHeaders(string? connection)
    {
        if (string.IsNullOrEmpty(connection))
        {
            return false;
        }

        foreach (var range in connection.AsSpan().Split(','))
        {
            var token = connection.AsSpan(range).Trim();
            if (!token.IsEmpty && !token.Equals("keep-alive", StringComparison.OrdinalIgnoreCase)
                && !token.Equals("close", StringComparison.OrdinalIgnoreCase)
                && !token.Equals("upgrade", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Is(string name, string known) =>
        ReferenceEquals(name, known) || string.Equals(name, known, StringComparison.OrdinalIgnoreCase);
}
