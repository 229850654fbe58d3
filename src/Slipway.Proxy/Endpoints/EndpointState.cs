using System.Collections.Concurrent;
using Slipway.Proxy.Forwarding;
using Slipway.Proxy.Health;

namespace Slipway.Proxy.Endpoints;

/// <summary>
/// What changes at run time for one endpoint and must outlive a routing table: in-flight
/// requests (the supervisor drains on it), passive health, open WebSockets. Keyed by endpoint id.
/// </summary>
internal sealed class EndpointState
{
    private readonly ConcurrentDictionary<WebSocketTunnel, byte> _webSockets = new();
    private int _inFlight;
    private ServiceRuntime? _service;

    public EndpointState(string id, EndpointHealth health)
    {
        Id = id;
        Health = health;
    }

    public string Id { get; }

    public EndpointHealth Health { get; }

    public int InFlight => Volatile.Read(ref _inFlight);

    public int OpenWebSockets => _webSockets.Count;

    /// <summary>The service whose queue a freed slot wakes; set when a table is compiled.</summary>
    public ServiceRuntime? Service
    {
        get => Volatile.Read(ref _service);
        set => Volatile.Write(ref _service, value);
    }

    public bool HasCapacity(int maxInFlight) => maxInFlight <= 0 || Volatile.Read(ref _inFlight) < maxInFlight;

    public bool TryAcquire(int maxInFlight)
    {
        if (maxInFlight <= 0)
        {
            Interlocked.Increment(ref _inFlight);
            return true;
        }

        var current = Volatile.Read(ref _inFlight);
        while (current < maxInFlight)
        {
            var seen = Interlocked.CompareExchange(ref _inFlight, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    public void Release()
    {
        Interlocked.Decrement(ref _inFlight);
        _service?.SignalOne();
    }

    public void Track(WebSocketTunnel tunnel) => _webSockets.TryAdd(tunnel, 0);

    public void Untrack(WebSocketTunnel tunnel) => _webSockets.TryRemove(tunnel, out _);

    /// <summary>Asks every open WebSocket to this endpoint to close; returns how many were asked.</summary>
    public int CloseWebSockets()
    {
        var count = 0;
        foreach (var pair in _webSockets)
        {
            pair.Key.RequestClose();
            count++;
        }

        return count;
    }
}
