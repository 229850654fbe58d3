namespace Slipway.Core.Routing;

/// <summary>What one rate-limit bucket is for.</summary>
internal enum RateLimitKey
{
    ClientIp,
    Header,
    Route,
}
