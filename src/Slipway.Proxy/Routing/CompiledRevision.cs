namespace Slipway.Proxy.Routing;

/// <summary>A revision's ready endpoints with the weight tables the balancers read.</summary>
internal sealed class CompiledRevision
{
    private int _roundRobin = -1;

    public CompiledRevision(string name, int weight, CompiledEndpoint[] endpoints, Static.StaticSite? site = null)
    {
        Site = site;
        Name = name;
        Weight = Math.Max(0, weight);
        Endpoints = endpoints;
        AffinityCookie = RevisionSelector.AffinityCookieName + "=" + name + "; Path=/; HttpOnly; SameSite=Lax";
        Cumulative = new int[endpoints.Length];
        var total = 0;
        var uniform = true;
        for (var i = 0; i < endpoints.Length; i++)
        {
            total += endpoints[i].Weight;
            Cumulative[i] = total;
            uniform &= endpoints[i].Weight == endpoints[0].Weight;
        }

        TotalEndpointWeight = total;
        UniformWeights = uniform;
        Slots = BuildSlots(endpoints);
    }

    public string Name { get; }

    public int Weight { get; }

    /// <summary>The directory this revision is served from, for a static site; null for a forwarded one.</summary>
    public Static.StaticSite? Site { get; }

    /// <summary>Whether a request can be answered: a ready endpoint, or a static site.</summary>
    public bool CanServe => Endpoints.Length > 0 || Site is not null;

    public CompiledEndpoint[] Endpoints { get; }

    /// <summary>Running sum of endpoint weights, for weighted random choice by binary search.</summary>
    public int[] Cumulative { get; }

    public int TotalEndpointWeight { get; }

    public bool UniformWeights { get; }

    /// <summary>Endpoint indexes, each repeated by its (reduced) weight, interleaved: round-robin and hashing walk it.</summary>
    public int[] Slots { get; }

    /// <summary>Set-Cookie value that keeps a client on this revision.</summary>
    public string AffinityCookie { get; }

    public int NextRoundRobin() => Interlocked.Increment(ref _roundRobin) & int.MaxValue;

    /// <summary>An endpoint index chosen with probability proportional to weight.</summary>
    public int WeightedIndex(Random random)
    {
        if (UniformWeights)
        {
            return random.Next(Endpoints.Length);
        }

        var target = random.Next(TotalEndpointWeight);
        var index = Array.BinarySearch(Cumulative, target + 1);
        return index >= 0 ? index : ~index;
    }

    private static int[] BuildSlots(CompiledEndpoint[] endpoints)
    {
        if (endpoints.Length == 0)
        {
            return [];
        }

        var divisor = 0;
        foreach (var endpoint in endpoints)
        {
            divisor = Gcd(divisor, endpoint.Weight);
        }

        var weights = new int[endpoints.Length];
        var total = 0;
        for (var i = 0; i < endpoints.Length; i++)
        {
            weights[i] = endpoints[i].Weight / divisor;
            total += weights[i];
        }

        // Bound the table: scale weights down when they are large, keeping every endpoint at least once.
        const int MaxSlots = 4096;
        if (total > MaxSlots)
        {
            var unscaled = total;
            total = 0;
            for (var i = 0; i < weights.Length; i++)
            {
                weights[i] = Math.Max(1, (int)((long)weights[i] * MaxSlots / unscaled));
                total += weights[i];
            }
        }

        // Smooth weighted round-robin (nginx's algorithm) run once at compile time: spreads a
        // heavy endpoint's turns instead of sending it a burst.
        var slots = new int[total];
        var current = new int[weights.Length];
        for (var s = 0; s < total; s++)
        {
            var best = 0;
            for (var i = 0; i < weights.Length; i++)
            {
                current[i] += weights[i];
                if (current[i] > current[best])
                {
                    best = i;
                }
            }

            current[best] -= total;
            slots[s] = best;
        }

        return slots;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
