namespace Slipway.Core.Manifest.Model;

/// <summary>The proxy's load-balancing policies, by the names the manifest uses.</summary>
internal enum LoadBalancing
{
    /// <summary>Two random endpoints, the one with fewer requests in flight.</summary>
    PowerOfTwo,
    LeastRequests,
    RoundRobin,
    Random,
    IpHash,
}
