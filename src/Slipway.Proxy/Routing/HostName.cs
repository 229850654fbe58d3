namespace Slipway.Proxy.Routing;

/// <summary>Host header handling without allocation.</summary>
internal static class HostName
{
    /// <summary>The host part of a Host header: port and a trailing dot removed, IPv6 brackets kept.</summary>
    public static ReadOnlySpan<char> Normalize(string? hostHeader)
    {
        if (string.IsNullOrEmpty(hostHeader))
        {
            return default;
        }

        var host = hostHeader.AsSpan();
        if (host[0] == '[')
        {
            var close = host.IndexOf(']');
            return close < 0 ? host : host[..(close + 1)];
        }

        var colon = host.LastIndexOf(':');
        if (colon >= 0)
        {
            host = host[..colon];
        }

        return host.Length > 1 && host[^1] == '.' ? host[..^1] : host;
    }
}
