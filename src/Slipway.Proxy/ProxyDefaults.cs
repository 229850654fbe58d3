namespace Slipway.Proxy;

/// <summary>What a route gets when its policy leaves a timeout unset.</summary>
internal sealed record ProxyDefaults
{
    public static ProxyDefaults Default { get; } = new();

    /// <summary>Time to open a TCP connection to an endpoint; a failure here is always safe to retry.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Time from the end of the request to the backend's response headers.</summary>
    public TimeSpan FirstByteTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest silence on a body being streamed or on a WebSocket.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
