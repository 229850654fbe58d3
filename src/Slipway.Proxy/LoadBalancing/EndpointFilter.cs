using Slipway.Proxy.Routing;

namespace Slipway.Proxy.LoadBalancing;

/// <summary>Which endpoints a pick may return: not ejected (unless in panic), not already tried, not full.</summary>
internal struct EndpointFilter
{
    public EndpointFilter(long now, int maxInFlight)
    {
        Now = now;
        MaxInFlight = maxInFlight;
    }

    public long Now { get; }

    public int MaxInFlight { get; }

    /// <summary>Bit i set: endpoint i of the revision was tried by this request.</summary>
    public ulong Excluded { get; private set; }

    /// <summary>Every endpoint is ejected: send anyway rather than fail (Envoy's panic mode).</summary>
    public bool IgnoreHealth { get; set; }

    public void Exclude(int index)
    {
        if (index < 64)
        {
            Excluded |= 1UL << index;
        }
    }

    public void ClearExclusions() => Excluded = 0;

    public readonly bool IsExcluded(int index) => index < 64 && (Excluded & (1UL << index)) != 0;

    public readonly bool Allows(CompiledEndpoint endpoint) =>
        !IsExcluded(endpoint.Index)
        && (IgnoreHealth || !endpoint.State.Health.IsEjected(Now))
        && endpoint.State.HasCapacity(MaxInFlight);

    /// <summary>The first allowed endpoint at or after <paramref name="start"/>, wrapping around.</summary>
    public readonly CompiledEndpoint? FirstAllowed(CompiledEndpoint[] endpoints, int start)
    {
        for (var i = 0; i < endpoints.Length; i++)
        {
            var candidate = endpoints[(start + i) % endpoints.Length];
            if (Allows(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The allowed endpoint with the fewest in-flight requests per unit of weight; ties go to the first from <paramref name="start"/>.</summary>
    public readonly CompiledEndpoint? LeastLoaded(CompiledEndpoint[] endpoints, int start)
    {
        CompiledEndpoint? best = null;
        for (var i = 0; i < endpoints.Length; i++)
        {
            var candidate = endpoints[(start + i) % endpoints.Length];
            if (Allows(candidate) && (best is null || LessLoaded(candidate, best)))
            {
                best = candidate;
            }
        }

        return best;
    }

    /// <summary>a.InFlight / a.Weight &lt; b.InFlight / b.Weight, without division.</summary>
    public static bool LessLoaded(CompiledEndpoint a, CompiledEndpoint b) =>
        (long)a.State.InFlight * b.Weight < (long)b.State.InFlight * a.Weight;
}
