using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Slipway.Control.Routing;
using Slipway.Control.Runtime;
using Slipway.Control.State;
using Slipway.Control.Supervision;
using Slipway.Core.Manifest;
using Slipway.Core.Processes;
using Slipway.Core.Routing;
using Slipway.Testing;

namespace Slipway.Control.Tests.Supervision;

/// <summary>A supervisor on a manifest, with real processes, the system clock and a table publisher to read.</summary>
internal sealed class SupervisorFixture : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly StateStore _store;

    private readonly SmallDisk? _disk;

    /// <param name="smallDisk">Put the state directory on a 4 MB tmpfs (<see cref="Disk"/>) to fill it.</param>
    public SupervisorFixture(string yaml, IEndpointLoad? load = null, Action<TempDirectory>? beforeLoad = null, bool smallDisk = false)
    {
        beforeLoad?.Invoke(_dir);
        _disk = smallDisk ? SmallDisk.Mount(_dir.Combine("state")) : null;
        var result = ManifestLoader.LoadText(yaml, directory: _dir.Path);
        Assert.True(result.IsValid, string.Join("\n", result.FormattedErrors));
        _store = StateStore.Open(_dir.Combine("state"));
        _manifest = result.Manifest!;
        _load = load ?? NoProxyEndpointLoad.Instance;
        Supervisor = Build(out var traffic);
        Traffic = traffic;
    }

    private readonly Core.Manifest.Model.AppManifest _manifest;
    private readonly IEndpointLoad _load;

    public StateStore Store => _store;

    /// <summary>The state directory's own small disk, when asked for.</summary>
    public SmallDisk Disk => _disk ?? throw new InvalidOperationException("this fixture was made without smallDisk");

    /// <summary>A new supervisor on the same manifest and state store, as a daemon started again would build.</summary>
    public Supervisor Restarted() => Build(out _);

    private Supervisor Build(out TrafficPublisher traffic)
    {
        var live = new LiveManifest(_manifest);
        traffic = new TrafficPublisher(live, Publisher, _store);
        var supervisor = new Supervisor(live, new SupervisorOptions
        {
            ManifestDirectory = _dir.Path,
            StateDirectory = _dir.Combine("state"),
            ResourceSampleInterval = TimeSpan.FromMilliseconds(200),
        }, TimeProvider.System, NullLoggerFactory.Instance, _store, traffic, _load);
        supervisor.Journal.Recorded += Events.Enqueue;
        return supervisor;
    }

    public TempDirectory Directory => _dir;

    public LatestTablePublisher Publisher { get; } = new();

    public Supervisor Supervisor { get; }

    /// <summary>Where <see cref="Supervisor"/> marks readiness and rollouts would switch traffic.</summary>
    public TrafficPublisher Traffic { get; }

    public ConcurrentQueue<EventRecord> Events { get; } = new();

    public IEnumerable<EventRecord> Of(string kind) => Events.Where(e => e.Kind == kind);

    public IReadOnlyList<EndpointModel> Endpoints(string service) =>
        Publisher.Current.Services.TryGetValue(service, out var model) ? [.. model.Revisions.SelectMany(r => r.Endpoints)] : [];

    public async ValueTask DisposeAsync()
    {
        var pids = _store.Instances(activeOnly: false).Select(i => i.Pid).ToList();
        await Supervisor.DisposeAsync();
        foreach (var pid in pids)
        {
            // Belt and braces: whatever a failed test left of the groups this fixture started.
            if (ProcFs.GroupMembers(pid).Count > 0)
            {
                Core.Processes.NativeMethods.kill(-pid, Signals.Kill);
            }
        }

        _store.Dispose();
        _disk?.Dispose();
        _dir.Dispose();
    }
}
