namespace Slipway.Proxy.Forwarding;

/// <summary>What the forwarder does with a client header on the way to the backend.</summary>
internal enum HeaderRule
{
    Copy,

    /// <summary>
    /// Hop-by-hop (RFC 9110 §7.6.1), meant for this proxy, or a client's claim about who it is (<c>Forwarded</c>):
    /// never forwarded.
    /// </summary>
    Drop,

    /// <summary>Rewritten by the proxy: Host, X-Forwarded-*, X-Real-IP, X-Request-Id, Expect.</summary>
    Proxy,

    /// <summary>Forwarded only on a WebSocket upgrade: Connection and Upgrade.</summary>
    Upgrade,
}
