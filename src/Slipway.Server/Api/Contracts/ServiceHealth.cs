namespace Slipway.Server.Api.Contracts;

/// <summary>A service at a glance, from how many of its instances are ready.</summary>
internal enum ServiceHealth
{
    /// <summary>Slipway runs no instances of it.</summary>
    Upstream,

    ScaledToZero,

    /// <summary>Every instance ready.</summary>
    Healthy,

    /// <summary>No instance ready.</summary>
    Down,

    /// <summary>Some instances ready, not all.</summary>
    Degraded,
}
