using System.Collections.Concurrent;
using Slipway.Proxy.Routing;

namespace Slipway.Proxy.FastPath;

/// <summary>One <see cref="BackendPool"/> per backend address, for the life of the proxy.</summary>
internal sealed class BackendPools : IDisposable
{
    private readonly ConcurrentDictionary<string, BackendPool> _pools = new(StringComparer.Ordinal);

    public BackendPool For(CompiledEndpoint endpoint) =>
        _pools.TryGetValue(endpoint.BaseAddress, out var pool)
            ? pool
            : _pools.GetOrAdd(endpoint.BaseAddress, static (_, e) => new BackendPool(e), endpoint);

    public void Dispose()
    {
        foreach (var pool in _pools.Values)
        {
            pool.Dispose();
        }
    }
}
