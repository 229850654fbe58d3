using Slipway.Backups;
using Slipway.Control.Alerts;
using Slipway.Control.Events;
using Slipway.Control.Apply;
using Slipway.Control.Audit;
using Slipway.Control.Logs;
using Slipway.Control.Maintenance;
using Slipway.Control.Rollouts;
using Slipway.Control.Routing;
using Slipway.Control.Runtime;
using Slipway.Control.Secrets;
using Slipway.Control.State;
using Slipway.Control.Supervision;
using Slipway.Control.Telemetry;
using Slipway.Core.Configuration;
using Slipway.Core.Processes;
using Slipway.Server.Api;
using Slipway.Server.Auth;
using Slipway.Server.Listeners;

namespace Slipway.Server;

/// <summary>Building one run: everything wired and listening, nothing started.</summary>
internal sealed partial class SlipwayDaemon
{
    /// <summary>
    /// Takes the state lock, binds every listener (<see cref="BindAsync"/>), opens the store and the secrets, wires the
    /// supervisor, rollouts, apply and alerts, and starts the control API. The edge proxy is made but accepts only once
    /// <see cref="RunningDaemon"/> has restored the routing table. What it takes goes on <paramref name="teardown"/>.
    /// </summary>
    /// <returns>Null, after saying why on <paramref name="error"/>, when the lock is held or a listener or the master key is refused.</returns>
    private async Task<DaemonParts?> BuildAsync(Teardown teardown, TextWriter output, TextWriter error)
    {
        var stateDirectory = _options.ResolvedStateDirectory;
        var sockets = await BindAsync(teardown, stateDirectory, error).ConfigureAwait(false);
        if (sockets is null)
        {
            return null;
        }

        var dataPlane = _options.DataPlane ?? new DataPlane(sockets.Proxy!.Publisher, sockets.Proxy.EndpointLoad);
        var edge = sockets.Proxy is null ? null : sockets.Listeners.FirstEdge(_manifest);
        var store = teardown.Add(StateStore.Open(stateDirectory, disk: new StateDisk(stateDirectory, _options.DiskReserveBytes)));
        SecretStore secretStore;
        try
        {
            secretStore = new SecretStore(stateDirectory, MasterKey.Load(stateDirectory, EnvironmentVariables.Get), _time);
        }
        catch (InvalidOperationException e)
        {
            await error.WriteLineAsync($"slipway: {e.Message}").ConfigureAwait(false);
            return null;
        }

        var secrets = new SecretResolver(secretStore, EnvironmentVariables.Get);
        var manifestDirectory = Path.GetDirectoryName(Path.GetFullPath(_options.ManifestPath)) ?? ".";
        var supervisorOptions = new SupervisorOptions
        {
            ManifestDirectory = manifestDirectory,
            StateDirectory = stateDirectory,
            VersionOverrides = _options.VersionOverrides,
            Secrets = secretStore,
            Logs = new LogOptions
            {
                RetentionRoot = LogPaths.Root(stateDirectory),
                MaxAge = _manifest.Logs.MaxAge,
                MaxTotalBytes = _manifest.Logs.MaxSize.Bytes,
            },
        };
        // Maintenance turned on before a restart is on again from the first routing table this daemon publishes.
        MaintenanceStore maintenance;
        try
        {
            maintenance = new MaintenanceStore(stateDirectory, _time);
        }
        catch (System.Text.Json.JsonException e)
        {
            await error.WriteLineAsync($"slipway: {Path.Combine(stateDirectory, MaintenanceStore.FileName)} cannot be read ({e.Message}); fix it, or delete it to end maintenance").ConfigureAwait(false);
            return null;
        }

        var live = new LiveManifest(_manifest);
        var traffic = new TrafficPublisher(live, dataPlane.Publisher, store);
        traffic.SetMaintenance(maintenance.Current);
        maintenance.Changed += traffic.SetMaintenance;
        var supervisor = teardown.AddAsync(new Supervisor(live, supervisorOptions, _time, _loggers, store, traffic, dataPlane.Load));
        var outputLock = new Lock();
        void Say(string line)
        {
            lock (outputLock)
            {
                output.WriteLine(line);
                output.Flush();
            }
        }

        store.Disk.FullChanged += (full, message) => supervisor.Journal.Record("-", null, full ? EventKinds.DiskFull : EventKinds.DiskOk, message);
        supervisor.Journal.Recorded += e => Say($"{e.Time.UtcDateTime:HH:mm:ss.fff} {e.Service,-12} {e.Instance ?? "-",-20} {e.Kind,-14} {e.Message}");

        var smoke = teardown.Add(new SmokeChecker(() => edge is null ? null : new Uri($"http://{edge}"), _time));
        var rollouts = new RolloutController(live, new RolloutContext(supervisor, traffic, supervisor.Journal, store, Metrics, _time, new ProcessRunner(_time), smoke,
            manifestDirectory)
        {
            Applications = ApplicationMetrics,
            Backups = new DeployBackup(_manifest, manifestDirectory, EnvironmentVariables.Get, secrets.Find, _time, _loggers.CreateLogger("Slipway.Backups")),
        });
        var applier = new ManifestApplier(live, supervisor, traffic, rollouts, secretStore, _time, manifestDirectory);
        Say($"slipway: app {_manifest.App}: {Describe()}; state in {stateDirectory}");
        var tokens = new TokenStore(stateDirectory, _time);
        if (tokens.EnsureAdmin(stateDirectory) is { } adminToken)
        {
            // Shown this once; afterwards only its hash is kept (and the 0600 file, for the local CLI).
            Say($"slipway: first start: admin token written to {Path.Combine(stateDirectory, TokenStore.AdminTokenFile)} (mode 0600): {adminToken}");
        }

        var alertInputs = DaemonAlerts.Inputs(_manifest, manifestDirectory, Metrics, ApplicationMetrics, supervisor);
        var alerts = DaemonAlerts.Create(_manifest, stateDirectory, secrets, alertInputs, supervisor, _time, _loggers);
        if (alerts is not null)
        {
            teardown.AddAsync(alerts);
        }

        // Everything /metrics serves, in this order; a new source is one more line.
        var exposition = new MetricsExposition(
        [
            new RequestMetricsSource(Metrics),
            new InstanceMetricsSource(supervisor.Instances),
            new ApplicationMetricsSource(ApplicationMetrics),
            new RolloutMetricsSource(live, rollouts, traffic),
            new BackupCertificateMetricsSource(alertInputs.Backups, alertInputs.Certificates, watchedSince: _time.GetUtcNow()),
            .. alerts is null ? Array.Empty<IMetricsSource>() : [alerts],
        ]);
        var scraper = teardown.Add(new ApplicationScraper(_manifest, supervisor.Instances, ApplicationMetrics, _time, _loggers.CreateLogger("Slipway.Telemetry")));
        ApiHost api;
        try
        {
            var context = new ApiContext(live, supervisor, store, secretStore, tokens, new AuditLog(stateDirectory, _time, store.Disk), stateDirectory, _time, Metrics, exposition,
                alerts?.Engine, alerts?.Notifier)
            {
                Rollouts = rollouts,
                Applier = applier,
                Maintenance = maintenance,
            };
            var apiSocket = sockets.Listeners[BoundListener.ApiKey];
            api = await ApiHost.StartAsync(context, _options.Api, _loggers, _options.AuthLimiter ?? new AuthFailureLimiter(_time),
                (sockets.ApiFd, apiSocket.EndPoint)).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await error.WriteLineAsync($"slipway: cannot listen for the control API on {_options.Api.Host}:{_options.Api.Port}: {e.Message} (choose another with --api HOST:PORT)").ConfigureAwait(false);
            return null;
        }

        Say($"slipway: control API on {api.Address}");
        var addressFile = Path.Combine(stateDirectory, ApiHost.AddressFile);
        WriteAddress(addressFile, api.Address);
        teardown.Add(() =>
        {
            File.Delete(addressFile);
            return Task.CompletedTask;
        });
        return new DaemonParts(supervisor, rollouts, applier, alerts, scraper, secrets, api, sockets, stateDirectory, manifestDirectory, Say);
    }
}
