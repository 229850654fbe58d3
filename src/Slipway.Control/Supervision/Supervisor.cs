using Microsoft.Extensions.Logging;
using Slipway.Control.Events;
using Slipway.Control.Logs;
using Slipway.Control.Probes;
using Slipway.Control.Routing;
using Slipway.Control.Runtime;
using Slipway.Control.State;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Primitives;
using Slipway.Core.Processes;
using Slipway.Core.Routing;

namespace Slipway.Control.Supervision;

/// <summary>
/// Runs an application's services on this machine: <c>replicas</c> instances of each <c>run:</c> service's
/// current revision, each kept alive by an <see cref="InstanceController"/>; <c>upstream:</c> services watched;
/// <c>static:</c> sites' revisions handed to the edge once their root is ready.
/// Every readiness change is marked on the <see cref="TrafficPublisher"/>, which publishes the routing table.
/// </summary>
/// <remarks>
/// On start it resumes from the state store: an instance recorded as active whose pid still runs with the
/// recorded start time is adopted, not started twice; an active one no slot claims any more (fewer replicas,
/// another version) is drained and stopped.
/// </remarks>
internal sealed partial class Supervisor : IAsyncDisposable, IRevisionHost
{
    private readonly LiveManifest _manifest;
    private readonly SupervisorContext _context;
    private readonly TrafficPublisher _traffic;

    // Guards the controllers, their runs, the upstream watchers and the specs by revision.
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<InstanceController> _controllers = [];
    private readonly List<InstanceController> _adopting = [];
    private readonly Dictionary<UpstreamWatcher, ControllerRun> _upstreams = [];
    private readonly List<Task> _tasks = [];
    private readonly Dictionary<InstanceController, ControllerRun> _runs = [];
    private readonly Dictionary<(string Service, string Revision), ServiceSpec> _specs = [];
    private readonly Dictionary<string, int> _statefulPorts = new(StringComparer.Ordinal);
    private readonly StatefulLeases _leases = new();
    private readonly DependencyGate _gate;
    private Dictionary<string, string> _shared = new(StringComparer.Ordinal);
    private bool _started;

    public Supervisor(LiveManifest manifest, SupervisorOptions options, TimeProvider time, ILoggerFactory loggers,
        StateStore? store, TrafficPublisher traffic, IEndpointLoad load)
    {
        _manifest = manifest;
        _traffic = traffic;
        var runner = new ProcessRunner(time);
        var logger = loggers.CreateLogger("Slipway.Supervisor");
        Journal = new EventJournal(store, time, logger);
        Logs = new LogCollector(time, loggers.CreateLogger("Slipway.Logs"), store is null ? options.Logs : options.Logs with { Disk = store.Disk });
        _context = new SupervisorContext(options, time, runner,
            new ProbeKinds([new HttpProbe(time), new TcpProbe(time), new ExecProbe(runner)]),
            Journal, store, load, Logs, logger);
        _gate = new DependencyGate(manifest, IsReady);
    }

    public EventJournal Journal { get; }

    public LogCollector Logs { get; }

    /// <summary>
    /// What every child of the app gets besides its own settings: <c>SLIPWAY_&lt;SERVICE&gt;_URL</c> of each internal
    /// listener and stateful service. Hooks and jobs take it from here too.
    /// </summary>
    public IReadOnlyDictionary<string, string> SharedEnvironment
    {
        get
        {
            lock (_lock)
            {
                return _shared;
            }
        }
    }

    public IReadOnlyList<InstanceStatus> Instances()
    {
        lock (_lock)
        {
            return [.. _controllers.Select(c => c.Snapshot())];
        }
    }

    public async Task StartAsync()
    {
        if (_started)
        {
            throw new InvalidOperationException("the supervisor has already started");
        }

        _started = true;
        var store = _context.Store;
        var now = _context.Time.GetUtcNow();
        _shared = BuildSharedEnvironment();
        var active = store?.Instances(activeOnly: true) ?? [];
        var rollouts = store?.Rollouts() ?? [];
        lock (_lock)
        {
            foreach (var (name, spec) in _manifest.Services.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                if (spec.Upstream is not null)
                {
                    Watch(new UpstreamWatcher(_context, name, spec, OnUpstreamChanged));
                    continue;
                }

                var (revision, version) = ChooseRevision(name, spec, now, active);
                _traffic.SetCurrent(name, revision, version);
                var desired = store?.DesiredReplicas(name) ?? [];
                AddSlots(name, revision, version, desired.GetValueOrDefault(revision, spec.InitialReplicas), active);

                // A revision an unfinished rollout still wants is adopted too; the rollout controller decides its fate.
                foreach (var rollout in rollouts.Where(r => r.Service == name))
                {
                    foreach (var other in new[] { rollout.Revision, rollout.StableRevision }.Where(r => r != revision && desired.ContainsKey(r)))
                    {
                        var otherVersion = store!.Revision(name, other)?.Version ?? other;
                        AddSlots(name, other, otherVersion, desired[other], active);
                    }
                }
            }
        }

        foreach (var orphan in active.Where(r => !_controllers.Any(c => c.Id == r.Id)))
        {
            _tasks.Add(StopOrphanAsync(orphan));
        }

        lock (_lock)
        {
            foreach (var controller in _controllers)
            {
                var record = active.FirstOrDefault(r => r.Id == controller.Id);
                if (record is not null)
                {
                    _adopting.Add(controller);
                }

                StartRun(controller, record);
            }
        }

        Publish();
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>
    /// Waits (at most <paramref name="limit"/>) until every instance adopted at start is back in routing or known not
    /// to be ready: the routing table a restarted daemon publishes is then the one its predecessor had, and the edge
    /// can listen without answering 404 or 503 for routes that work.
    /// </summary>
    /// <returns>False when the limit passed first.</returns>
    public async Task<bool> RestoredAsync(TimeSpan limit)
    {
        try
        {
            await Task.WhenAll(_adopting.Select(c => c.FirstVerdict)).WaitAsync(limit, _context.Time).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>
    /// Stops supervising and leaves every instance running, recorded and routed as it is, for a successor daemon to
    /// adopt (a planned restart or upgrade). Nothing is drained or signalled.
    /// </summary>
    public Task DetachAsync()
    {
        _context.Detaching = true;
        return StopAsync();
    }

    /// <summary>
    /// Drains and stops every instance, each within its own timeouts: services that others depend on last (a service
    /// stops before what it <c>dependsOn</c>, so its final requests still find them), the rest all at once.
    /// </summary>
    public async Task StopAsync()
    {
        foreach (var wave in DependencyOrder.StopWaves(_manifest.Current))
        {
            List<ControllerRun> leaving;
            lock (_lock)
            {
                leaving = [.. _runs.Where(r => wave.Contains(r.Key.Service)).Select(r => r.Value)];
            }

            await Task.WhenAll(leaving.Select(async run =>
            {
                await run.Stop.CancelAsync().ConfigureAwait(false);
                await run.Task.ConfigureAwait(false);
            })).ConfigureAwait(false);
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        Task[] runs;
        lock (_lock)
        {
            runs = [.. _runs.Values.Select(r => r.Task)];
        }

        await Task.WhenAll(_tasks.Concat(runs)).ConfigureAwait(false);
        Task[] watching;
        lock (_lock)
        {
            watching = [.. _upstreams.Values.Select(r => r.Task)];
        }

        await Task.WhenAll(watching).ConfigureAwait(false);
        Publish();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync().ConfigureAwait(false);
        }

        await Logs.DisposeAsync().ConfigureAwait(false);
        _context.Options.Cgroups?.RemoveParents(); // kept while an instance is left running for a successor to adopt
        foreach (var kind in _context.Probes.All.OfType<IDisposable>())
        {
            kind.Dispose();
        }

        _stop.Dispose();
        foreach (var run in _runs.Values.Concat(_upstreams.Values))
        {
            run.Stop.Dispose();
        }
    }

    /// <summary>Publishes the table as it stands: after changes that moved no readiness (a scale down, a manifest swap).</summary>
    public void Publish() => _traffic.Publish();

    /// <summary>An instance became ready or stopped being so: marked, unless it has been forgotten meanwhile, then published.</summary>
    private void OnReadinessChanged(InstanceController controller)
    {
        lock (_lock)
        {
            if (!_controllers.Contains(controller))
            {
                return;
            }

            var status = controller.Snapshot();
            if (status.Ready)
            {
                _traffic.MarkReady(status.Id, new ReadyEndpoint(status.Service, status.Revision, new EndpointModel(status.Id, "127.0.0.1", status.Port)));
            }
            else
            {
                _traffic.MarkNotReady(status.Id);
            }
        }

        _traffic.Publish();
        _gate.Changed();
    }

    /// <summary>Whether a service has a ready instance (an upstream: a ready endpoint) now; what <c>dependsOn</c> waits for.</summary>
    private bool IsReady(string service)
    {
        lock (_lock)
        {
            return _controllers.Any(c => c.Service == service && c.Snapshot().Ready)
                || SiteReady(service)
                || _upstreams.Keys.Any(w => w.Service == service && w.ReadyEndpoints().Count > 0);
        }
    }

    private void OnUpstreamChanged(UpstreamWatcher watcher)
    {
        lock (_lock)
        {
            if (_upstreams.ContainsKey(watcher))
            {
                MarkUpstream(watcher);
            }
        }

        _traffic.Publish();
        _gate.Changed();
    }

    /// <remarks>Called under <see cref="_lock"/>.</remarks>
    private void MarkUpstream(UpstreamWatcher watcher)
    {
        var ready = watcher.ReadyEndpoints();
        foreach (var endpoint in watcher.Endpoints)
        {
            var id = watcher.EndpointId(endpoint);
            if (ready.Contains(endpoint))
            {
                _traffic.MarkReady(id, new ReadyEndpoint(watcher.Service, RoutingComposer.UpstreamRevision, new EndpointModel(id, endpoint.Host, endpoint.Port)));
            }
            else
            {
                _traffic.MarkNotReady(id);
            }
        }
    }

    private async Task RunControllerAsync(InstanceController controller, InstanceRecord? adopt, CancellationToken stop)
    {
        // A bug or a fault in one slot must not take the daemon down; it is logged and the slot starts over, with the
        // process it had (InstanceController resumes a live one rather than start a second). Once stop is asked, one
        // more run drains and stops that process, so a failure never leaks an instance past the daemon.
        var lastTry = false;
        while (true)
        {
            try
            {
                await Task.Run(() => controller.RunAsync(adopt, stop)).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                SupervisorLog.ControllerFailed(_context.Logger, controller.Id, e);
                if (lastTry)
                {
                    return;
                }

                Journal.Record(controller.Service, controller.Id, EventKinds.Error, $"supervision failed ({e.GetType().Name}: {e.Message}); starting over");
                adopt = null;
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), _context.Time, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Stopping: the next run drains and stops whatever still runs.
                }

                lastTry = stop.IsCancellationRequested;
            }
        }
    }

    private async Task StopOrphanAsync(InstanceRecord record)
    {
        var spec = _manifest.Services.GetValueOrDefault(record.Service);

        // A stateful leftover holds the service's lease until it is gone, so the new instance starts only after it.
        using var lease = spec is { Stateful: true } ? await _leases.AcquireAsync(record.Service, () => { }, CancellationToken.None).ConfigureAwait(false) : null;
        var process = _context.Runner.TryAdopt(record.Pid, record.ProcessStartTime);
        if (process is not null)
        {
            var cgroup = _context.Options.Cgroups?.Find(process.Pid);
            var stop = spec?.Stop ?? new StopSpec();
            Journal.Record(record.Service, record.Id, EventKinds.Stopping, $"pid {process.Pid} is no longer wanted (revision {record.Revision}, slot {record.Slot})");
            var killed = await process.TerminateGroupAsync(stop.GracePeriod, CancellationToken.None, stop.SignalNumber).ConfigureAwait(false);
            if (cgroup is not null)
            {
                // What left its process group is still in its cgroup.
                cgroup.KillAll();
                await Task.Delay(TimeSpan.FromMilliseconds(100), _context.Time).ConfigureAwait(false);
                cgroup.TryRemove();
            }

            Journal.Record(record.Service, record.Id, killed ? EventKinds.Killed : EventKinds.Stopped, $"pid {process.Pid} stopped");
        }

        try
        {
            _context.Store?.DeactivateInstance(record.Id);
        }
        catch (DiskFullException)
        {
            // Still marked active: the next start finds its pid gone and starts afresh. The disk has said it is full.
        }
    }

    /// <summary>
    /// <c>SLIPWAY_&lt;SERVICE&gt;_URL</c> for every service with an internal listener (its loopback port) and every
    /// stateful service (its fixed port, chosen and kept now when the manifest does not write one).
    /// </summary>
    private Dictionary<string, string> BuildSharedEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, spec) in _manifest.Services)
        {
            if (spec.Internal is { } listener)
            {
                environment[StatefulUrls.VariableName(name)] = $"http://127.0.0.1:{listener.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
            }
            else if (spec.Stateful && spec.Run is not null)
            {
                environment[StatefulUrls.VariableName(name)] = StatefulUrls.For(name, spec, StatefulPort(name, spec));
            }
        }

        return environment;
    }

    /// <summary>The fixed port of a stateful service (once the supervisor has started); null for any other.</summary>
    public int? StatefulPortOf(string service)
    {
        lock (_lock)
        {
            return _statefulPorts.TryGetValue(service, out var port) ? port : null;
        }
    }

    /// <summary>The manifest's <c>port</c>, else the one kept in the store, else a free one, kept from now on.</summary>
    /// <remarks>Called under <see cref="_lock"/> or before the supervisor starts.</remarks>
    private int StatefulPort(string service, ServiceSpec spec)
    {
        if (spec.Port is { } written)
        {
            _statefulPorts[service] = written;
            return written;
        }

        if (!_statefulPorts.TryGetValue(service, out var port))
        {
            port = _context.Store?.StatefulPort(service) ?? LoopbackPorts.Instances.Next();
            _context.Store?.SaveStatefulPort(service, port);
            _statefulPorts[service] = port;
        }

        return port;
    }

    /// <summary>What an instance of <paramref name="service"/> starts with besides its spec.</summary>
    /// <remarks>Called under <see cref="_lock"/>.</remarks>
    private InstanceSetup Setup(string service)
    {
        var spec = _manifest.Services.GetValueOrDefault(service);
        return spec is { Stateful: true }
            ? new InstanceSetup(_shared, StatefulPort(service, spec), _leases, _gate)
            : new InstanceSetup(_shared, null, null, _gate);
    }
}
