namespace Slipway.Core.Routing;

/// <summary>Why the edge answered a request itself, before any backend saw it; <see cref="None"/> for every other request.</summary>
internal enum EdgeRefusal
{
    None,

    /// <summary>403: the client address is denied, or not allowed, on the route or service.</summary>
    Forbidden,

    /// <summary>429: the route's rate limit.</summary>
    RateLimited,

    /// <summary>413: the body is over <c>proxy.limits.maxRequestBody</c>.</summary>
    BodyTooLarge,

    /// <summary>503: the service is in maintenance.</summary>
    Maintenance,

    /// <summary>403: a WAF rule matched on a route in block mode.</summary>
    Waf,
}
