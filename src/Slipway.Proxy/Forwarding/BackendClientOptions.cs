namespace Slipway.Proxy.Forwarding;

/// <summary>How the proxy keeps connections to backends.</summary>
internal sealed record BackendClientOptions
{
    /// <summary>Recycles connections so that DNS and backend changes are picked up.</summary>
    public TimeSpan PooledConnectionLifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Below typical backend keep-alive timeouts (Node's is 5 s) so we rarely reuse a connection the backend is closing.</summary>
    public TimeSpan PooledConnectionIdleTimeout { get; init; } = TimeSpan.FromSeconds(4);

    public int MaxConnectionsPerServer { get; init; } = int.MaxValue;

    /// <summary>
    /// The most of a backend's answer held while the request body is still being sent (an echo holds as much as the
    /// body): past it the backend is made to wait, as a full socket would. The edge sets it to the largest request body.
    /// </summary>
    public long MaxReadAhead { get; init; } = 32L * 1024 * 1024;
}
