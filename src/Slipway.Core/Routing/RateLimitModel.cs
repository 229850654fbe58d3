namespace Slipway.Core.Routing;

/// <summary>
/// A token bucket: <paramref name="PerSecond"/> tokens refilled each second, up to <paramref name="Burst"/>, one bucket
/// per client address, per value of <paramref name="Header"/> (the client address when the request has none), or one
/// for the whole route.
/// </summary>
internal sealed record RateLimitModel(double PerSecond, int Burst, RateLimitKey Key = RateLimitKey.ClientIp, string? Header = null);
