using Slipway.Control.Events;
using Slipway.Control.Runtime;

namespace Slipway.Control.Supervision;

/// <summary>
/// Static sites: revisions with no process. A revision is "started" by checking its root and handing it to the
/// routing table, "stopped" by taking it out; readiness is the root holding its index, checked when it starts.
/// </summary>
internal sealed partial class Supervisor
{
    // Guarded by _lock, like the controllers.
    private readonly Dictionary<(string Service, string Revision), StaticRevision> _sites = [];

    private bool IsStatic(string service) => _manifest.Services.GetValueOrDefault(service)?.Static is not null;

    /// <summary>Serves a static revision with <paramref name="replicas"/> counted instances, or stops serving it at 0.</summary>
    /// <remarks>Called under <see cref="_lock"/>; the caller publishes.</remarks>
    private void SetSite(string service, string revision, string version, int replicas)
    {
        if (replicas <= 0)
        {
            if (_sites.Remove((service, revision)))
            {
                _traffic.MarkSiteNotReady(service, revision);
                Journal.Record(service, null, EventKinds.Stopped, $"revision {revision} is no longer served");
            }

            return;
        }

        if (_sites.TryGetValue((service, revision), out var served))
        {
            _sites[(service, revision)] = served with { Desired = replicas };
            return;
        }

        var site = StaticRevision.Resolve(service, revision, version, replicas, SpecFor(service, revision).Static!, _context.Options.ManifestDirectory);
        _sites[(service, revision)] = site;
        if (site.Ready)
        {
            _traffic.MarkSiteReady(service, revision, site.Site);
            Journal.Record(service, null, EventKinds.Ready, $"revision {revision} (version {version}) served from {site.Site.Root}");
        }
        else
        {
            Journal.Record(service, null, EventKinds.NotReady, $"revision {revision} (version {version}) cannot be served: {site.Problem}");
        }
    }

    /// <summary>A static site's revisions, shaped as the rollouts read every service's: all counted instances ready, or none.</summary>
    /// <remarks>Called under <see cref="_lock"/>.</remarks>
    private IEnumerable<RevisionState> SiteRevisions(string service, string? current) =>
        _sites.Values.Where(s => s.Service == service)
            .Select(s => new RevisionState(s.Revision, s.Version, s.Revision == current, s.Desired, s.Ready ? s.Desired : 0, 0));

    /// <remarks>Called under <see cref="_lock"/>.</remarks>
    private bool SiteReady(string service) => _sites.Values.Any(s => s.Service == service && s.Ready);

    /// <summary>Stops serving every revision of a static site the manifest no longer has.</summary>
    /// <returns>The revisions it served.</returns>
    /// <remarks>Called under <see cref="_lock"/>.</remarks>
    private List<string> ForgetSites(string service)
    {
        var gone = _sites.Values.Where(s => s.Service == service).Select(s => s.Revision).ToList();
        foreach (var revision in gone)
        {
            SetSite(service, revision, "", 0);
        }

        return gone;
    }
}
