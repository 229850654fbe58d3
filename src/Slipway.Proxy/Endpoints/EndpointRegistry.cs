using System.Collections.Concurrent;
using Slipway.Core.Routing;
using Slipway.Proxy.Health;

namespace Slipway.Proxy.Endpoints;

/// <summary>
/// The run-time state of every endpoint the proxy has routed to, by id. Tables come and go;
/// an endpoint's state stays while it is in the table or still holds requests.
/// </summary>
internal sealed class EndpointRegistry : IEndpointLoad
{
    private readonly ConcurrentDictionary<string, EndpointState> _states = new(StringComparer.Ordinal);
    private readonly PassiveHealthOptions _health;
    private readonly TimeProvider _time;

    public EndpointRegistry(PassiveHealthOptions health, TimeProvider time)
    {
        _health = health;
        _time = time;
    }

    /// <summary>The proxy's clock, for state created beside endpoint states (retry budgets).</summary>
    public TimeProvider Time => _time;

    public int InFlight(string endpointId) =>
        _states.TryGetValue(endpointId, out var state) ? state.InFlight : 0;

    public EndpointState? Find(string endpointId) => _states.GetValueOrDefault(endpointId);

    public EndpointState GetOrAdd(string endpointId) =>
        _states.GetOrAdd(endpointId, static (id, self) => new EndpointState(id, new EndpointHealth(self._health, self._time)), this);

    /// <summary>Forgets endpoints that left the table and hold nothing open any more.</summary>
    public void Sweep(IReadOnlySet<string> live)
    {
        foreach (var pair in _states)
        {
            if (!live.Contains(pair.Key) && pair.Value.InFlight == 0 && pair.Value.OpenWebSockets == 0)
            {
                _states.TryRemove(pair);
            }
        }
    }

    public int CloseWebSockets(string endpointId) =>
        _states.TryGetValue(endpointId, out var state) ? state.CloseWebSockets() : 0;

    public int CloseAllWebSockets()
    {
        var count = 0;
        foreach (var pair in _states)
        {
            count += pair.Value.CloseWebSockets();
        }

        return count;
    }
}
