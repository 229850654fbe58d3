using System.Collections.Concurrent;
using Slipway.Proxy.Routing;
using Slipway.Proxy.Transport;

namespace Slipway.Proxy.FastPath;

/// <summary>One <see cref="BackendPool"/> per backend address, while a routing table names it.</summary>
internal sealed class BackendPools(TimeProvider time, TimeSpan idleTimeout, ReadinessEngine? readiness = null, bool lanes = true) : IDisposable
{
    private readonly ConcurrentDictionary<string, BackendPool> _pools = new(StringComparer.Ordinal);

    public BackendPool For(CompiledEndpoint endpoint) =>
        _pools.TryGetValue(endpoint.BaseAddress, out var pool)
            ? pool
            : _pools.GetOrAdd(endpoint.BaseAddress, static (_, state) => new BackendPool(state.Endpoint, state.Time, state.IdleTimeout, state.Readiness, state.Lanes), (Endpoint: endpoint, Time: time, IdleTimeout: idleTimeout, Readiness: readiness, Lanes: lanes));

    /// <summary>
    /// Closes the idle connections of the addresses <paramref name="table"/> no longer names (an instance replaced or
    /// stopped): nothing will take them, and they hold a socket on both sides until the backend closes them. A
    /// connection still lent to a request is closed when it comes back.
    /// </summary>
    public void Sweep(CompiledTable table)
    {
        var live = new HashSet<string>(StringComparer.Ordinal);
        foreach (var service in table.Services.Values)
        {
            foreach (var revision in service.Revisions)
            {
                foreach (var endpoint in revision.Endpoints)
                {
                    live.Add(endpoint.BaseAddress);
                }
            }
        }

        foreach (var pair in _pools)
        {
            if (!live.Contains(pair.Key) && _pools.TryRemove(pair))
            {
                pair.Value.Dispose();
            }
        }
    }

    /// <summary>The idle connections of every address, each lane's oldest first (tests).</summary>
    internal IEnumerable<BackendConnection> Idle() => _pools.Values.SelectMany(static pool => pool.Idle());

    public void Dispose()
    {
        foreach (var pool in _pools.Values)
        {
            pool.Dispose();
        }
    }
}
