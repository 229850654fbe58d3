using Slipway.Control.Events;
using Slipway.Control.Runtime;
using Slipway.Core.Manifest.Snapshot;

namespace Slipway.Control.Supervision;

/// <summary>
/// Services that come and go while the daemon runs (<c>slipway apply</c>). The caller has already put the
/// new manifest in place, so the routing table these publish has the new set of routes.
/// </summary>
internal sealed partial class Supervisor
{
    /// <summary>Starts a service the manifest now has: a new revision of a <c>run:</c> service, or the watch of an upstream.</summary>
    public async Task AddServiceAsync(string service, string createdBy)
    {
        var spec = _manifest.Services[service];
        await _changes.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            lock (_lock)
            {
                if (spec.Upstream is not null)
                {
                    Watch(new UpstreamWatcher(_context, service, spec, OnUpstreamChanged));
                }
                else
                {
                    var version = spec.Version ?? "1";
                    var revision = "1";
                    if (_context.Store is { } store)
                    {
                        revision = store.CreateRevision(service, version, SpecSnapshot.Write(spec), createdBy, "service added", _context.Time.GetUtcNow()).Revision;
                        store.MakeCurrent(service, revision);
                        store.SetRevisionOutcome(service, revision, RevisionOutcome.Started, _context.Time.GetUtcNow());
                        store.SetDesiredReplicas(service, revision, spec.InitialReplicas);
                    }

                    _specs[(service, revision)] = spec;
                    _traffic.SetCurrent(service, revision, version);
                    var before = _controllers.Count;
                    AddSlots(service, revision, version, spec.InitialReplicas, []);
                    foreach (var controller in _controllers.Skip(before))
                    {
                        StartRun(controller, null);
                    }
                }
            }

            Journal.Record(service, null, EventKinds.Added, spec.Upstream is null ? $"service added with {spec.InitialReplicas} replicas" : "upstream service added");
            Publish();
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>Drains and stops every instance of a service the manifest no longer has (its routes are already gone).</summary>
    public async Task RemoveServiceAsync(string service)
    {
        await _changes.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            List<InstanceController> gone;
            lock (_lock)
            {
                gone = [.. _controllers.Where(c => c.Service == service)];
                _traffic.Forget(service);
            }

            Publish();
            Journal.Record(service, null, EventKinds.Removing, $"service removed from the manifest: draining and stopping {gone.Count} instances");
            await Task.WhenAll(gone.Select(StopAndForgetAsync).Append(StopWatchingAsync(service))).ConfigureAwait(false);
            foreach (var revision in gone.Select(c => c.Revision).Distinct(StringComparer.Ordinal))
            {
                _context.Store?.ForgetDesiredReplicas(service, revision);
            }

            Journal.Record(service, null, EventKinds.Removed, "service removed");
            Publish();
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>Watches an upstream service's new endpoint list instead of the old one.</summary>
    public async Task ReplaceUpstreamAsync(string service)
    {
        await StopWatchingAsync(service).ConfigureAwait(false);
        lock (_lock)
        {
            Watch(new UpstreamWatcher(_context, service, _manifest.Services[service], OnUpstreamChanged));
        }

        Journal.Record(service, null, EventKinds.Updated, $"upstream endpoints now {string.Join(", ", _manifest.Services[service].Upstream ?? [])}");
        Publish();
    }

    /// <summary>Called under <see cref="_lock"/>.</summary>
    private void Watch(UpstreamWatcher watcher)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        _upstreams[watcher] = new ControllerRun(stop, watcher.RunAsync(stop.Token));
        MarkUpstream(watcher);
    }

    private async Task StopWatchingAsync(string service)
    {
        List<ControllerRun> runs;
        lock (_lock)
        {
            var watchers = _upstreams.Keys.Where(w => w.Service == service).ToList();
            runs = [.. watchers.Select(w => _upstreams[w])];
            foreach (var watcher in watchers)
            {
                _upstreams.Remove(watcher);
                foreach (var endpoint in watcher.Endpoints)
                {
                    _traffic.MarkNotReady(watcher.EndpointId(endpoint));
                }
            }
        }

        foreach (var run in runs)
        {
            await run.Stop.CancelAsync().ConfigureAwait(false);
            await run.Task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            run.Stop.Dispose();
        }
    }
}
