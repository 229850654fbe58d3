namespace Slipway.Proxy.Forwarding;

/// <summary>Header names the proxy sets or reads itself.</summary>
internal static class ProxyHeaderNames
{
    public const string XForwardedFor = "X-Forwarded-For";
    public const string XForwardedProto = "X-Forwarded-Proto";
    public const string XForwardedHost = "X-Forwarded-Host";
    public const string XRequestId = "X-Request-Id";
    public const string RetryAfter = "Retry-After";

    /// <summary>Where Kestrel moves the Content-Length of a request that also carries Transfer-Encoding.</summary>
    public const string XContentLength = "X-Content-Length";
}
