using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Slipway.Control.Alerts;
using Slipway.Control.Apply;
using Slipway.Control.Audit;
using Slipway.Control.Logs;
using Slipway.Control.Rollouts;
using Slipway.Control.Secrets;
using Slipway.Control.State;
using Slipway.Control.Supervision;
using Slipway.Control.Telemetry;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Processes;
using Slipway.Server.Api;
using Slipway.Server.Auth;
using Slipway.Server.Listeners;

namespace Slipway.Server;

/// <summary>
/// The daemon: takes the state directory's lock, opens the state store, runs the supervisor until told to
/// stop, then drains and stops everything. The edge proxy is started from the manifest after the lock is
/// held (so a second daemon reports the lock, not a port clash) and stopped after the instances have drained;
/// tests that want no proxy pass a <see cref="DataPlane"/> instead.
/// </summary>
internal sealed partial class SlipwayDaemon
{
    private readonly AppManifest _manifest;
    private readonly DaemonOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly DataPlane? _dataPlane;

    /// <param name="dataPlane">Where routing tables go; null to host the manifest's edge proxy.</param>
    public SlipwayDaemon(AppManifest manifest, DaemonOptions options, TimeProvider time, ILoggerFactory loggers, DataPlane? dataPlane = null)
    {
        _manifest = manifest;
        _options = options;
        _time = time;
        _loggers = loggers;
        _dataPlane = dataPlane;
        Metrics = new RequestMetricsStore(time);
        ApplicationMetrics = new ApplicationMetricsStore();
    }

    /// <summary>The longest the edge waits, after a restart, for adopted instances to be back in routing before it listens anyway.</summary>
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
        var stateDirectory = _options.ResolvedStateDirectory;

        // --takeover: the daemon running here hands over its listeners and instances, and lets go of the state
        // directory, before this one takes it; it keeps answering from its last routing table meanwhile.
        (Socket Connection, int Pid, Dictionary<string, BoundListener> Listeners)? predecessor;
        try
        {
            predecessor = _options.Takeover ? Handover.Request(stateDirectory) : null;
        }
        catch (Exception e) when (e is IOException or SocketException or System.Text.Json.JsonException)
        {
            await error.WriteLineAsync($"slipway: cannot take over from the running daemon: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        using var predecessorConnection = predecessor?.Connection;
        using var stateLock = StateDirectoryLock.TryAcquire(stateDirectory, out var lockError);
        if (stateLock is null)
        {
            await error.WriteLineAsync($"slipway: {lockError}").ConfigureAwait(false);
            return 1;
        }

        // Every listener first: a port that is taken is one line naming what wanted it, and nothing else is made.
        // Bound and listening from here, they queue connections until the proxy accepts: after the routing table
        // is restored, so a restarted daemon answers no 404 or 503 for a route that works.
        using var listeners = DaemonListeners.Bind(_manifest, _options.Api, edge: _dataPlane is null, out var listenError, predecessor?.Listeners);
        if (listeners is null)
        {
            await error.WriteLineAsync($"slipway: {listenError}").ConfigureAwait(false);
            return 1;
        }

        var proxyFds = listeners.ProxyHandles();
        await using var proxy = _dataPlane is null ? EdgeProxy.Create(_manifest, _time, _loggers, Metrics, proxyFds) : null;
        using var handover = Handover.Listen(stateDirectory);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        var successor = WatchForSuccessorAsync(handover, stopping);
        var dataPlane = _dataPlane ?? new DataPlane(proxy!.Publisher, proxy.EndpointLoad);
        using var store = StateStore.Open(stateDirectory, disk: new StateDisk(stateDirectory, _options.DiskReserveBytes));
        var logger = _loggers.CreateLogger("Slipway.Daemon");
        SecretStore secrets;
        try
        {
            secrets = new SecretStore(stateDirectory, MasterKey.Load(stateDirectory, Environment.GetEnvironmentVariable), _time);
        }
        catch (InvalidOperationException e)
        {
            await error.WriteLineAsync($"slipway: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        var supervisorOptions = new SupervisorOptions
        {
            ManifestDirectory = Path.GetDirectoryName(Path.GetFullPath(_options.ManifestPath)) ?? ".",
            StateDirectory = stateDirectory,
            VersionOverrides = _options.VersionOverrides,
            Secrets = secrets,
            Logs = new LogOptions
            {
                RetentionRoot = LogPaths.Root(stateDirectory),
                MaxAge = _manifest.Logs.MaxAge,
                MaxTotalBytes = _manifest.Logs.MaxSize.Bytes,
            },
        };
        var live = new LiveManifest(_manifest);
        var supervisor = new Supervisor(live, supervisorOptions, _time, _loggers, store, dataPlane.Publisher, dataPlane.Load);
        var outputLock = new Lock();
        store.Disk.FullChanged += (full, message) => supervisor.Journal.Record("-", null, full ? "disk-full" : "disk-ok", message);
        supervisor.Journal.Recorded += e =>
        {
            lock (outputLock)
            {
                output.WriteLine($"{e.Time.UtcDateTime:HH:mm:ss.fff} {e.Service,-12} {e.Instance ?? "-",-20} {e.Kind,-14} {e.Message}");
                output.Flush();
            }
        };

        var edge = proxy is null ? null : listeners.FirstEdge(_manifest);
        using var smoke = new SmokeChecker(() => edge is null ? null : new Uri($"http://{edge}"), _time);
        var rollouts = new RolloutController(live, new RolloutContext(supervisor, supervisor.Journal, store, Metrics, _time, new ProcessRunner(_time), smoke,
            supervisorOptions.ManifestDirectory)
        {
            Applications = ApplicationMetrics,

            // As the scheduled backups read secrets (DaemonBackups): an explicit SLIPWAY_SECRET_NAME wins over the store.
            Backups = new DeployBackup(_manifest, supervisorOptions.ManifestDirectory, Environment.GetEnvironmentVariable,
                name => Environment.GetEnvironmentVariable("SLIPWAY_SECRET_" + name) ?? (secrets.TryGet(name, out var value) ? value : null),
                _time, _loggers.CreateLogger("Slipway.Backups")),
        });
        Rollouts = rollouts;
        var applier = new ManifestApplier(live, supervisor, rollouts, secrets, _time, supervisorOptions.ManifestDirectory);
        RolloutMetrics = new RolloutMetricsSource(live, rollouts, supervisor);
        await using (supervisor.ConfigureAwait(false))
        {
            lock (outputLock)
            {
                output.WriteLine($"slipway: app {_manifest.App}: {Describe()}; state in {stateDirectory}");
                output.Flush();
            }

            var tokens = new TokenStore(stateDirectory, _time);
            if (tokens.EnsureAdmin(stateDirectory) is { } adminToken)
            {
                lock (outputLock)
                {
                    // Shown this once; afterwards only its hash is kept (and the 0600 file, for the local CLI).
                    output.WriteLine($"slipway: first start: admin token written to {Path.Combine(stateDirectory, TokenStore.AdminTokenFile)} (mode 0600): {adminToken}");
                    output.Flush();
                }
            }

            var alertInputs = DaemonAlerts.Inputs(_manifest, supervisorOptions.ManifestDirectory, Metrics, ApplicationMetrics, supervisor);
            await using var alerts = DaemonAlerts.Create(_manifest, stateDirectory, secrets, alertInputs, supervisor, _time, _loggers);
            Alerts = alerts;

            // Everything /metrics serves, in this order; a new source is one more line.
            var exposition = new MetricsExposition(
            [
                new RequestMetricsSource(Metrics),
                new InstanceMetricsSource(supervisor.Instances),
                new ApplicationMetricsSource(ApplicationMetrics),
                RolloutMetrics,
                new BackupCertificateMetricsSource(alertInputs.Backups, alertInputs.Certificates, watchedSince: _time.GetUtcNow()),
                .. alerts is null ? Array.Empty<IMetricsSource>() : [alerts],
            ]);
            using var scraper = new ApplicationScraper(_manifest, supervisor.Instances, ApplicationMetrics, _time, _loggers.CreateLogger("Slipway.Telemetry"));
            ApiHost api;
            var apiFd = -1;
            try
            {
                var context = new ApiContext(live, supervisor, store, secrets, tokens, new AuditLog(stateDirectory, _time, store.Disk), stateDirectory, _time, Metrics, exposition,
                    alerts?.Engine, alerts?.Notifier)
                {
                    Rollouts = rollouts,
                    Applier = applier,
                };
                var apiSocket = listeners[BoundListener.ApiKey];
                apiFd = SocketFds.Duplicate(apiSocket.Fd);
                api = await ApiHost.StartAsync(context, _options.Api, _loggers, _options.AuthLimiter ?? new AuthFailureLimiter(_time),
                    (apiFd, apiSocket.EndPoint)).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                await error.WriteLineAsync($"slipway: cannot listen for the control API on {_options.Api.Host}:{_options.Api.Port}: {e.Message} (choose another with --api HOST:PORT)").ConfigureAwait(false);
                return 1;
            }

            await using (api.ConfigureAwait(false))
            {
                ApiAddress = api.Address;
                Api = api;
                var addressFile = Path.Combine(stateDirectory, ApiHost.AddressFile);
                TryWriteAddress(addressFile, api.Address);
                lock (outputLock)
                {
                    output.WriteLine($"slipway: control API on {api.Address}");
                    output.Flush();
                }

                DaemonLog.Started(logger, _manifest.App, stateDirectory);
                await supervisor.StartAsync().ConfigureAwait(false);
                if (proxy is not null)
                {
                    await supervisor.RestoredAsync(RestoreLimit).ConfigureAwait(false);
                    await proxy.StartAsync(shutdown).ConfigureAwait(false);
                    lock (outputLock)
                    {
                        output.WriteLine($"slipway: proxy listening on {string.Join(", ", proxy.EdgeEndpoints.Select(e => "http://" + e))}"
                            + string.Concat(proxy.InternalEndpoints.Select(i => $"; {i.Key} internally on http://{i.Value}")));
                        output.Flush();
                    }
                }

                if (predecessor is { } handed)
                {
                    Handover.SayServing(handed.Connection);
                    lock (outputLock)
                    {
                        output.WriteLine($"slipway: took over from pid {handed.Pid}: its listeners and instances are this daemon's now");
                        output.Flush();
                    }
                }

                await rollouts.StartAsync().ConfigureAwait(false);
                await ApplyChangedSpecsAsync(applier, supervisor.Journal).ConfigureAwait(false);
                alerts?.Start($"{api.Address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)}/api/v1/alerts");
                var backups = DaemonBackups.RunAsync(_manifest, supervisorOptions.ManifestDirectory, secrets, _time, _loggers, supervisor.Journal, stopping.Token);
                var scraping = scraper.RunAsync(stopping.Token);
                using var prune = Metrics.PruneEvery(PruneInterval);
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, _time, stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Asked to stop.
                }

                // Scheduled backups end with the shutdown token; a backup in progress is cancelled, not half-kept.
                await backups.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                await scraping.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                File.Delete(addressFile);
                if (successor.IsCompletedSuccessfully && successor.Result is not null)
                {
                    // The API's socket goes to the successor: stop accepting on it without closing it.
                    StopAccepting([apiFd]);
                }
            }

            DaemonLog.Stopping(logger);
            var handingOver = successor.IsCompletedSuccessfully && successor.Result is not null;
            lock (outputLock)
            {
                output.WriteLine(handingOver
                    ? "slipway: handing over to a new daemon: instances keep running for it to adopt; the proxy answers until it serves"
                    : "slipway: stopping: draining, then SIGTERM, then SIGKILL after each service's grace period");
                output.Flush();
            }

            await rollouts.DisposeAsync().ConfigureAwait(false);
            await (handingOver ? supervisor.DetachAsync() : supervisor.StopAsync()).ConfigureAwait(false);
        }

        if (successor.IsCompletedSuccessfully && successor.Result is { } next)
        {
            store.Dispose();
            stateLock.Dispose();

            // Closed before the successor makes its own: disposing a bound Unix socket deletes its path, which would be the successor's.
            handover.Dispose();
            return await HandOverAsync(next, listeners, proxy, proxyFds.Values.Select(v => v.Fd), output, outputLock, shutdown).ConfigureAwait(false);
        }

        if (proxy is not null)
        {
            await proxy.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        lock (outputLock)
        {
            output.WriteLine("slipway: stopped");
            output.Flush();
        }

        return 0;
    }

    /// <summary>Deploys and rollbacks, once the daemon runs.</summary>
    internal RolloutController? Rollouts { get; private set; }

    /// <summary><c>slipway_rollout_step</c> and <c>slipway_revision_weight</c>, for <c>/metrics</c>; set once the daemon runs.</summary>
    public IMetricsSource? RolloutMetrics { get; private set; }

    /// <summary>Where the control API listens, once it does (tests start the daemon with port 0 and read this).</summary>
    public string? ApiAddress { get; private set; }

    /// <summary>The alert engine and notifier, when the manifest has alerts; also the metrics source for their families.</summary>
    internal DaemonAlerts? Alerts { get; private set; }

    /// <summary>The running API host, for tests that compare the OpenAPI document with the mapped endpoints.</summary>
    internal ApiHost? Api { get; private set; }

    /// <summary>
    /// A run spec edited while the daemon was stopped is rolled out now, as `slipway apply` would (versions
    /// kept as they run): its instances were adopted with the spec they were started with.
    /// </summary>
    private async Task ApplyChangedSpecsAsync(ManifestApplier applier, EventJournal journal)
    {
        if (!applier.Plan(_manifest, keepVersions: true).Actions.Any(a => a.Kind == ApplyActionKind.Deploy))
        {
            return;
        }

        try
        {
            await applier.ApplyAsync(_manifest, null, force: false, "daemon", "the manifest changed while the daemon was stopped", keepVersions: true).ConfigureAwait(false);
        }
        catch (RolloutRefusedException e)
        {
            journal.Record("-", null, "error", $"the manifest changed while the daemon was stopped, but it cannot be rolled out now: {e.Message}; `slipway apply` it later");
        }
    }

    /// <summary>Where clients find this daemon (<see cref="ApiHost.AddressFile"/>); a wildcard address is written as loopback.</summary>
    private static void TryWriteAddress(string path, string address)
    {
        var local = address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal);
        try
        {
            PrivateFile.Replace(path, System.Text.Encoding.UTF8.GetBytes(local + "\n"));
        }
        catch (IOException)
        {
            // A full disk: clients still find the daemon with --server.
        }
    }

    private string Describe()
    {
        var run = _manifest.Services.Where(s => s.Value.Run is not null).Select(s => $"{s.Key}×{s.Value.Replicas}");
        var upstream = _manifest.Services.Where(s => s.Value.Upstream is not null).Select(s => $"{s.Key} (upstream)");
        return string.Join(", ", run.Concat(upstream));
    }
}
