using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Slipway.Control.Routing;
using Slipway.Control.Runtime;
using Slipway.Control.State;
using Slipway.Control.Supervision;
using Slipway.Core.Cgroups;
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

    /// <param name="secrets">The secrets the instances may ask for, or null for none.</param>
    /// <param name="cgroups">A cgroup driver for the instances (<see cref="Writable(string)"/>), or null to run them in the test's own cgroups.</param>
    /// <param name="smallDisk">Put the state directory on a 4 MB tmpfs (<see cref="Disk"/>) to fill it.</param>
    public SupervisorFixture(string yaml, IEndpointLoad? load = null, Action<TempDirectory>? beforeLoad = null, IReadOnlyDictionary<string, string>? secrets = null,
        Func<string, CgroupDriver?>? cgroups = null, bool smallDisk = false)
    {
        _secrets = secrets;
        beforeLoad?.Invoke(_dir);
        _disk = smallDisk ? SmallDisk.Mount(_dir.Combine("state")) : null;
        Cgroups = cgroups?.Invoke(CgroupDetection.GroupName("t", _dir.Combine("state")));
        var result = ManifestLoader.LoadText(yaml, directory: _dir.Path);
        Assert.True(result.IsValid, string.Join("\n", result.FormattedErrors));
        _store = StateStore.Open(_dir.Combine("state"));
        _manifest = result.Manifest!;
        _load = load ?? NoProxyEndpointLoad.Instance;
        Supervisor = Build(out var traffic);
        Traffic = traffic;
    }

    private readonly Core.Manifest.Model.AppManifest _manifest;
    private readonly IReadOnlyDictionary<string, string>? _secrets;
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
            Secrets = _secrets is null ? null : new DictionarySecrets(_secrets),
            Cgroups = Cgroups,
        }, TimeProvider.System, NullLoggerFactory.Instance, _store, traffic, _load);
        supervisor.Journal.Recorded += Events.Enqueue;
        return supervisor;
    }

    public TempDirectory Directory => _dir;

    /// <summary>The state directory the supervisor keeps instances, logs and data directories in.</summary>
    public string StateDirectory => _dir.Combine("state");

    /// <summary>The instances' cgroups, when the fixture was given them.</summary>
    public CgroupDriver? Cgroups { get; }

    /// <summary>This machine's cgroup hierarchy (cgroup v1 cpu and memory on the development and CI machines); the test fails when none is writable.</summary>
    public static CgroupDriver Writable(string group)
    {
        var setup = CgroupDetection.Detect(group);
        Assert.True(setup.Driver is not null, "a writable cgroup hierarchy is needed: " + string.Join("; ", setup.Problems));
        return setup.Driver;
    }

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
        var started = _store.Instances(activeOnly: false).Select(i => (i.Pid, i.ProcessStartTime)).ToList();
        await Supervisor.DisposeAsync();
        foreach (var (pid, startTime) in started)
        {
            // Belt and braces: whatever a failed test left of the groups this fixture started (never another's under a reused pid).
            InstanceGroups.Kill(pid, startTime);
        }

        if (Cgroups is not null)
        {
            LeftoverCgroups = LeftoverCgroupsOf(Cgroups);
        }

        _store.Dispose();
        _disk?.Dispose();
        _dir.Dispose();
    }

    /// <summary>Instance cgroups still there after the supervisor stopped (a test asserts there are none); they are removed regardless.</summary>
    public IReadOnlyList<string> LeftoverCgroups { get; private set; } = [];

    private static List<string> LeftoverCgroupsOf(CgroupDriver driver)
    {
        var left = driver.Parents.Where(System.IO.Directory.Exists)
            .SelectMany(p => System.IO.Directory.EnumerateDirectories(p).Prepend(p)).ToList();
        foreach (var directory in left.OrderByDescending(d => d.Length))
        {
            foreach (var pid in (File.Exists(Path.Combine(directory, "cgroup.procs")) ? File.ReadAllLines(Path.Combine(directory, "cgroup.procs")) : []))
            {
                Core.Processes.NativeMethods.kill(int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture), Signals.Kill);
            }
        }

        foreach (var directory in left.OrderByDescending(d => d.Length))
        {
            for (var attempt = 0; attempt < 50 && System.IO.Directory.Exists(directory); attempt++)
            {
                try
                {
                    System.IO.Directory.Delete(directory);
                }
                catch (IOException)
                {
                    Thread.Sleep(20);
                }
            }
        }

        return left;
    }
}
