using Slipway.Proxy.Routing;

namespace Slipway.Proxy.LoadBalancing;

/// <summary>Chooses one endpoint of a revision. Stateless: per-revision state lives in the compiled revision.</summary>
internal interface ILoadBalancingPolicy
{
    /// <summary>The name a service policy selects it by.</summary>
    string Name { get; }

    /// <summary>An endpoint the filter allows, or null when none is.</summary>
    CompiledEndpoint? Pick(CompiledRevision revision, in EndpointFilter filter, uint clientHash);
}
