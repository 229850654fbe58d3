using Slipway.Control.Maintenance;
using Slipway.Control.Runtime;
using Slipway.Control.State;
using Slipway.Core.Routing;

namespace Slipway.Control.Routing;

/// <summary>
/// The one place routing tables are made: the current revision of each service, the split and preview a rollout
/// sets, and the endpoints ready now, composed into a whole new <see cref="RoutingTable"/> and published. Publishing
/// is serialised, so tables never go back in time; the request path only ever swaps to the latest.
/// </summary>
/// <remarks>
/// The supervisor marks instances and upstream endpoints ready or not and publishes after each change; rollouts
/// switch traffic through <see cref="ITrafficControl"/>; <c>slipway apply</c> publishes after replacing the manifest.
/// Marks take effect with the next <see cref="Publish"/>, so a start can stage every endpoint and publish once.
/// </remarks>
internal sealed class TrafficPublisher : ITrafficControl
{
    private readonly RoutingComposer _composer;
    private readonly IRoutingTablePublisher _publisher;
    private readonly StateStore? _store;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ReadyEndpoint> _ready = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Service, string Revision), StaticSiteModel> _sites = [];
    private readonly Dictionary<string, (string Revision, string Version)> _current = new(StringComparer.Ordinal);

    /// <param name="store">Where the current revision is kept across restarts; null keeps it in memory only.</param>
    public TrafficPublisher(LiveManifest manifest, IRoutingTablePublisher publisher, StateStore? store)
    {
        _composer = new RoutingComposer(manifest);
        _publisher = publisher;
        _store = store;
    }

    /// <exception cref="KeyNotFoundException">The service has no current revision (an upstream, or not started).</exception>
    public (string Revision, string Version) Current(string service)
    {
        lock (_lock)
        {
            return _current[service];
        }
    }

    public bool TryGetCurrent(string service, out (string Revision, string Version) current)
    {
        lock (_lock)
        {
            return _current.TryGetValue(service, out current);
        }
    }

    /// <summary>The current revision a start or a new service begins with (already in the store); no table is published.</summary>
    public void SetCurrent(string service, string revision, string version)
    {
        lock (_lock)
        {
            _current[service] = (revision, version);
            _composer.SetCurrentRevision(service, revision);
        }
    }

    /// <summary>A service the manifest no longer has: its routes are gone with the manifest, its current revision here.</summary>
    public void Forget(string service)
    {
        lock (_lock)
        {
            _current.Remove(service);
        }
    }

    public void SetTraffic(string service, string revision, string version, IReadOnlyDictionary<string, int>? weights)
    {
        lock (_lock)
        {
            _current[service] = (revision, version);
            _composer.SetCurrentRevision(service, revision);
            _composer.SetWeights(service, weights);
        }

        _store?.MakeCurrent(service, revision);
        Publish();
    }

    public void SetPreview(string service, string? revision)
    {
        _composer.SetPreview(service, revision);
        Publish();
    }

    /// <summary>Puts services in or out of maintenance: the proxy holds their requests, then answers with the page.</summary>
    public void SetMaintenance(MaintenanceState maintenance)
    {
        lock (_lock)
        {
            _composer.SetMaintenance(maintenance);
        }

        Publish();
    }

    /// <summary>An endpoint that may take traffic, from the next <see cref="Publish"/> on.</summary>
    public void MarkReady(string id, ReadyEndpoint endpoint)
    {
        lock (_lock)
        {
            _ready[id] = endpoint;
        }
    }

    /// <summary>An endpoint that no longer takes traffic (not ready, draining, gone), from the next <see cref="Publish"/> on.</summary>
    public void MarkNotReady(string id)
    {
        lock (_lock)
        {
            _ready.Remove(id);
        }
    }

    /// <summary>A static site's revision that may take traffic (its root is ready), from the next <see cref="Publish"/> on.</summary>
    public void MarkSiteReady(string service, string revision, StaticSiteModel site)
    {
        lock (_lock)
        {
            _sites[(service, revision)] = site;
        }
    }

    /// <summary>A static site's revision that no longer takes traffic (gone, or its root not ready), from the next <see cref="Publish"/> on.</summary>
    public void MarkSiteNotReady(string service, string revision)
    {
        lock (_lock)
        {
            _sites.Remove((service, revision));
        }
    }

    /// <summary>Builds and publishes the whole table from what is ready and current now.</summary>
    public void Publish()
    {
        lock (_lock)
        {
            _publisher.Publish(_composer.Compose(_ready.Values, _sites));
        }
    }
}
