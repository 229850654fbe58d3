namespace Slipway.Core.Routing;

/// <summary>
/// One finished request as the proxy saw it. A struct of references the routing table
/// already holds, so recording allocates nothing.
/// </summary>
/// <param name="StatusCode">The status sent to the client; 0 when the client went away first.</param>
/// <param name="ProxyFailure">The proxy answered itself because the backend failed (502/503/504).</param>
/// <param name="Shielded">The canary failed this request and the stable revision answered it.</param>
/// <param name="Refusal">Why the edge answered the request itself (rate limit, allow list...), if it did.</param>
/// <param name="WafClass">The class (<see cref="WafNames.Classes"/>) of the WAF rule that matched, if one did.</param>
/// <param name="WafBlocked">The match was refused (block mode) rather than forwarded (detect mode).</param>
internal readonly record struct RequestSample(
    string Service,
    string Revision,
    string Route,
    string? EndpointId,
    int StatusCode,
    TimeSpan Duration,
    long RequestBytes,
    long ResponseBytes,
    bool ProxyFailure,
    bool Shielded,
    EdgeRefusal Refusal = EdgeRefusal.None,
    string? WafClass = null,
    bool WafBlocked = false);
