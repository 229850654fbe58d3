namespace Slipway.Core.Routing;

/// <summary>A token bucket: <paramref name="PerSecond"/> tokens refilled each second, up to <paramref name="Burst"/>.</summary>
internal sealed record RateLimitModel(double PerSecond, int Burst);
