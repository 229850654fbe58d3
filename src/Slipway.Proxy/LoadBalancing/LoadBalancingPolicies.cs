using System.Collections.Frozen;

namespace Slipway.Proxy.LoadBalancing;

/// <summary>The load-balancing policies by name; a service policy names one.</summary>
internal sealed class LoadBalancingPolicies
{
    public const string PowerOfTwoChoices = "power-of-two";
    public const string LeastRequests = "least-requests";
    public const string RoundRobin = "round-robin";
    public const string Random = "random";
    public const string IpHash = "ip-hash";

    private readonly FrozenDictionary<string, ILoadBalancingPolicy> _byName;

    public LoadBalancingPolicies(Random random)
    {
        ILoadBalancingPolicy[] all =
        [
            new PowerOfTwoChoicesPolicy(random),
            new LeastRequestsPolicy(random),
            new RoundRobinPolicy(),
            new RandomPolicy(random),
            new IpHashPolicy(),
        ];
        _byName = all.ToFrozenDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        Default = _byName[PowerOfTwoChoices];
    }

    public ILoadBalancingPolicy Default { get; }

    public bool TryGet(string? name, out ILoadBalancingPolicy policy)
    {
        if (name is not null && _byName.TryGetValue(name, out var found))
        {
            policy = found;
            return true;
        }

        policy = Default;
        return false;
    }
}
