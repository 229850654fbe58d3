namespace Slipway.Proxy.Forwarding;

/// <summary>Header names the proxy sets or reads itself.</summary>
internal static class ProxyHeaderNames
{
    public const string XForwardedFor = "X-Forwarded-For";
    public const string XForwardedProto = "X-Forwarded-Proto";
    public const string XForwardedHost = "X-Forwarded-Host";
    public const string XRequestId = "X-Request-Id";
    public const string XRealIp = "X-Real-IP";

    /// <summary>RFC 7239's header: dropped, as the proxy reads and rebuilds only <c>X-Forwarded-For</c>.</summary>
    public const string Forwarded = "Forwarded";
    public const string RetryAfter = "Retry-After";

    /// <summary>draft-ietf-httpapi-ratelimit-headers-10: the quota (<c>"name";q=20;w=2</c>) and what is left of it (<c>"name";r=0;t=1</c>).</summary>
    public const string RateLimitPolicy = "RateLimit-Policy";
    public const string RateLimit = "RateLimit";

    /// <summary>Where Kestrel moves the Content-Length of a request that also carries Transfer-Encoding.</summary>
    public const string XContentLength = "X-Content-Length";
}
