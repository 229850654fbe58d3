using Microsoft.Extensions.Logging;
using Slipway.Control.Events;
using Slipway.Control.Logs;
using Slipway.Control.Probes;
using Slipway.Control.Routing;
using Slipway.Control.Runtime;
using Slipway.Control.State;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Processes;
using Slipway.Core.Routing;

namespace Slipway.Control.Supervision;

/// <summary>
/// Runs an application's services on this machine: <c>replicas</c> instances of each <c>run:</c> service's
/// current revision, each kept alive by an <see cref="InstanceController"/>; <c>upstream:</c> services watched.
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
    private readonly Dictionary<UpstreamWatcher, ControllerRun> _upstreams = [];
    private readonly List<Task> _tasks = [];
    private readonly Dictionary<InstanceController, ControllerRun> _runs = [];
    private readonly Dictionary<(string Service, string Revision), ServiceSpec> _specs = [];
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
        Logs = new LogCollector(time, loggers.CreateLogger("Slipway.Logs"), options.Logs);
        _context = new SupervisorContext(options, time, runner,
            new ProbeKinds([new HttpProbe(time), new TcpProbe(time), new ExecProbe(runner)]),
            Journal, store, load, Logs, logger);
    }

    public EventJournal Journal { get; }

    public LogCollector Logs { get; }

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
        _shared = SharedEnvironment();
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
                StartRun(controller, record);
            }
        }

        Publish();
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>Drains and stops every instance (all at once, each within its own timeouts).</summary>
    public async Task StopAsync()
    {
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
        // A bug in one slot must not take the daemon down; it is logged and the slot starts over.
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Run(() => controller.RunAsync(adopt, stop)).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                SupervisorLog.ControllerFailed(_context.Logger, controller.Id, e);
                Journal.Record(controller.Service, controller.Id, EventKinds.Error, $"supervision failed ({e.GetType().Name}: {e.Message}); starting over");
                adopt = null;
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), _context.Time, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task StopOrphanAsync(InstanceRecord record)
    {
        var process = _context.Runner.TryAdopt(record.Pid, record.ProcessStartTime);
        if (process is not null)
        {
            var cgroup = _context.Options.Cgroups?.Find(process.Pid);
            var grace = _manifest.Services.GetValueOrDefault(record.Service)?.Stop.GracePeriod ?? TimeSpan.FromSeconds(10);
            Journal.Record(record.Service, record.Id, EventKinds.Stopping, $"pid {process.Pid} is no longer wanted (revision {record.Revision}, slot {record.Slot})");
            var killed = await process.TerminateGroupAsync(grace).ConfigureAwait(false);
            if (cgroup is not null)
            {
                // What left its process group is still in its cgroup.
                cgroup.KillAll();
                await Task.Delay(TimeSpan.FromMilliseconds(100), _context.Time).ConfigureAwait(false);
                cgroup.TryRemove();
            }

            Journal.Record(record.Service, record.Id, killed ? EventKinds.Killed : EventKinds.Stopped, $"pid {process.Pid} stopped");
        }

        _context.Store?.DeactivateInstance(record.Id);
    }

    /// <summary><c>SLIPWAY_&lt;SERVICE&gt;_URL</c> for every service with an internal listener.</summary>
    private Dictionary<string, string> SharedEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, spec) in _manifest.Services)
        {
            if (spec.Internal is { } listener)
            {
                var key = "SLIPWAY_" + name.ToUpperInvariant().Replace('-', '_') + "_URL";
                environment[key] = $"http://127.0.0.1:{listener.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
            }
        }

        return environment;
    }
}
