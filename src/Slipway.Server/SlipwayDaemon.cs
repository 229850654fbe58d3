using Microsoft.Extensions.Logging;
using Slipway.Control.Events;
using Slipway.Control.Telemetry;
using Slipway.Core.Cgroups;
using Slipway.Core.Manifest.Model;

namespace Slipway.Server;

/// <summary>
/// The daemon: takes the state directory's lock, builds its parts (<see cref="BuildAsync"/>), starts them
/// (<see cref="RunningDaemon"/>), runs until told to stop, then drains and stops everything in reverse; or, when a
/// successor asks (<c>slipway up --takeover</c>), hands it the listeners and the instances. Every listener is bound
/// after the lock is held (so a second daemon reports the lock, not a port clash); the edge proxy accepts once the
/// routing table is restored and stops after the instances have drained; <see cref="DaemonOptions.DataPlane"/> replaces it.
/// </summary>
internal sealed partial class SlipwayDaemon
{
    private readonly AppManifest _manifest;
    private readonly DaemonOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private EventJournal? _journal;

    public SlipwayDaemon(AppManifest manifest, DaemonOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        _manifest = manifest;
        _options = options;
        _time = time;
        _loggers = loggers;
        Metrics = new RequestMetricsStore(time);
        ApplicationMetrics = new ApplicationMetricsStore();
    }

    /// <summary>The longest the edge waits, after a restart, for adopted instances to be back in routing before it accepts anyway.</summary>
    public static readonly TimeSpan RestoreLimit = TimeSpan.FromSeconds(10);

    /// <summary>How often request series of revisions long gone are forgotten.</summary>
    public static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(1);

    /// <summary>Every request the edge proxy forwards, per service × revision × route; read by analysis, alerts and <c>/metrics</c>.</summary>
    public RequestMetricsStore Metrics { get; }

    /// <summary>What services with <c>metrics:</c> serve, scraped per instance; read by <c>/metrics</c> and (through Select) alerts and analysis.</summary>
    public ApplicationMetricsStore ApplicationMetrics { get; }

    /// <summary>Runs until <paramref name="shutdown"/> fires. Returns an exit code: 0 after a clean stop, 1 when it could not run.</summary>
    /// <param name="output">Receives one line per event (where instances listen, what failed and why).</param>
    public async Task<int> RunAsync(TextWriter output, TextWriter error, CancellationToken shutdown)
    {
        var running = await StartAsync(output, error, shutdown).ConfigureAwait(false);
        if (running is null)
        {
            return 1;
        }

        var successor = await running.WaitForSuccessorAsync(shutdown).ConfigureAwait(false);
        if (successor is not null)
        {
            return await running.HandOverAsync(successor, shutdown).ConfigureAwait(false);
        }

        await running.StopAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>Builds and starts the daemon; null, after saying why on <paramref name="error"/>, when it cannot run.</summary>
    public async Task<RunningDaemon?> StartAsync(TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var teardown = new Teardown();
        DaemonParts? parts = null;
        try
        {
            parts = await BuildAsync(teardown, output, error).ConfigureAwait(false);
            if (parts is null)
            {
                await teardown.DisposeAsync().ConfigureAwait(false);
                return null;
            }

            var running = new RunningDaemon(parts, teardown, _manifest, Metrics, _time, _loggers);
            await running.StartAsync(cancellationToken).ConfigureAwait(false);
            return running;
        }
        catch
        {
            if (parts is not null)
            {
                await parts.Api.DisposeAsync().ConfigureAwait(false);
            }

            await teardown.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Where instance cgroups live, or why there are none and what is done instead: said once at start, since a limit
    /// that is silently not enforced is worse than none.
    /// </summary>
    private string DescribeLimits(CgroupSetup cgroups)
    {
        var limited = _manifest.Services.Values.Where(s => s.Run is not null).ToList();
        var memory = limited.Any(s => s.Resources.Memory is not null);
        var cpu = limited.Any(s => s.Resources.Cpu is not null);
        if (cgroups.Driver is not { } driver)
        {
            var fallback = (memory, cpu) switch
            {
                (false, false) => "instances run in the daemon's cgroups; CPU and memory come from /proc",
                (true, false) => "resources.memory is watched as resident memory every sample and the instance restarted over it",
                (false, true) => "resources.cpu is not enforced",
                _ => "resources.memory is watched as resident memory every sample and the instance restarted over it; resources.cpu is not enforced",
            };
            return $"slipway: resource limits: no writable cgroup ({string.Join("; ", cgroups.Problems)}); {fallback}";
        }

        var missing = new[] { memory && !driver.LimitsMemory ? "resources.memory is watched as resident memory instead" : null, cpu && !driver.LimitsCpu ? "resources.cpu is not enforced" : null }.OfType<string>().ToList();
        return $"slipway: resource limits: a cgroup per instance, {driver.Describe()}"
            + (missing.Count == 0 ? "" : $"; {string.Join("; ", missing)} ({string.Join("; ", cgroups.Problems)})");
    }

    private string Describe()
    {
        var run = _manifest.Services.Where(s => s.Value.Run is not null).Select(s => $"{s.Key}×{s.Value.InitialReplicas}");
        var upstream = _manifest.Services.Where(s => s.Value.Upstream is not null).Select(s => $"{s.Key} (upstream)");
        return string.Join(", ", run.Concat(upstream));
    }
}
