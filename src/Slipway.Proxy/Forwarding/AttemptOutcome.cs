namespace Slipway.Proxy.Forwarding;

/// <summary>How one try at one endpoint ended.</summary>
internal enum AttemptOutcome
{
    /// <summary>The backend's response went (or started going) to the client.</summary>
    Forwarded,

    /// <summary>No connection could be made: the backend never saw the request, so any method may retry.</summary>
    ConnectFailed,

    /// <summary>The connection broke before response headers: only a replayable, idempotent request may retry.</summary>
    TransportFailed,

    /// <summary>No response headers within the first-byte timeout.</summary>
    TimedOut,

    ClientAborted,

    /// <summary>A canary answered 5xx and the canary shield held the answer back to retry on stable.</summary>
    ShieldedServerError,

    /// <summary>The chunked body went over the limit: the backend's request was cut short, the client gets 413.</summary>
    BodyTooLarge,

    /// <summary>
    /// Kestrel refused the rest of the client's body (too slow for <c>MinRequestBodyDataRate</c>: 408; broken framing:
    /// 400): the backend's request was cut short, the client gets Kestrel's status, the endpoint no blame.
    /// </summary>
    ClientBodyFailed,
}
