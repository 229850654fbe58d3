using Slipway.Backups;
using Slipway.Control.Alerts;
using Slipway.Control.Apply;
using Slipway.Control.Audit;
using Slipway.Control.Autoscaling;
using Slipway.Control.Events;
using Slipway.Control.Jobs;
using Slipway.Control.Logs;
using Slipway.Control.Maintenance;
using Slipway.Control.Rollouts;
using Slipway.Control.Routing;
using Slipway.Control.Runtime;
using Slipway.Control.Secrets;
using Slipway.Control.State;
using Slipway.Control.Supervision;
using Slipway.Control.Telemetry;
using Slipway.Core.Cgroups;
using Slipway.Core.Configuration;
using Slipway.Core.Primitives;
using Slipway.Core.Processes;
using Slipway.Core.Tls;
using Slipway.Proxy.Tls;
using Slipway.Server.Api;
using Slipway.Server.Auth;
using Slipway.Server.Listeners;
using Slipway.Server.Preflight;

namespace Slipway.Server;

/// <summary>Building one run: everything wired and listening, nothing started.</summary>
internal sealed partial class SlipwayDaemon
{
    private string ManifestDirectory => Path.GetDirectoryName(Path.GetFullPath(_options.ManifestPath)) ?? ".";

    /// <summary>A rotated certificate the proxy refused, as an event (the journal exists only after the proxy listens).</summary>
    private void CertificateRejected(string reason) => Volatile.Read(ref _journal)?.Record("-", null, EventKinds.CertificateRejected, reason);

    /// <summary>
    /// Where smoke checks go once the edge accepts: through HTTPS when there is such a listener (with redirectHttp a
    /// plain one answers 308); null before the proxy starts, or without one.
    /// </summary>
    private static Uri? SmokeTarget(Slipway.Proxy.ProxyServer? proxy)
    {
        var urls = proxy?.EdgeUrls ?? [];
        var url = urls.FirstOrDefault(u => u.StartsWith("https://", StringComparison.Ordinal)) ?? urls.FirstOrDefault();
        return url is null ? null : new Uri(url);
    }

    /// <summary>
    /// Takes the state lock, binds every listener (<see cref="BindAsync"/>), opens the store and the secrets, wires the
    /// supervisor, rollouts, apply and alerts, and starts the control API. The edge proxy is made but accepts only once
    /// <see cref="RunningDaemon"/> has restored the routing table. What it takes goes on <paramref name="teardown"/>.
    /// </summary>
    /// <returns>Null, after saying why on <paramref name="error"/>, when the lock is held or a listener or the master key is refused.</returns>
    private async Task<DaemonParts?> BuildAsync(Teardown teardown, TextWriter output, TextWriter error)
    {
        var (apiOk, apiCertificate) = await ApiCertificateAsync(teardown, error).ConfigureAwait(false);
        if (!apiOk)
        {
            return null;
        }

        var stateDirectory = _options.ResolvedStateDirectory;
        var sockets = await BindAsync(teardown, stateDirectory, error).ConfigureAwait(false);
        if (sockets is null)
        {
            return null;
        }

        // Read before anything is created (and, as validate did, before the edge accepts): the file may have changed.
        CertificateStore? servedCertificates;
        try
        {
            servedCertificates = sockets.Proxy?.LoadCertificates();
        }
        catch (CertificateFileException e)
        {
            await error.WriteLineAsync($"slipway: proxy.tls: {e.Message}").ConfigureAwait(false);
            return null;
        }

        // Before anything starts: a daemon that cannot read its secrets must not half-run.
        SecretStore secretStore;
        try
        {
            secretStore = SecretStore.Open(stateDirectory, _options.Environment, _time);
        }
        catch (InvalidOperationException e)
        {
            await error.WriteLineAsync($"slipway: {e.Message}").ConfigureAwait(false);
            return null;
        }

        var store = teardown.Add(StateStore.Open(stateDirectory, disk: new StateDisk(stateDirectory, _options.DiskReserveBytes)));
        var audit = new AuditLog(stateDirectory, _time, secretStore.DeriveKey(AuditChain.KeyPurpose), store.Disk);
        var proxy = sockets.Proxy;
        var dataPlane = _options.DataPlane ?? new DataPlane(proxy!.Publisher, proxy.EndpointLoad);
        var secrets = new SecretResolver(secretStore, EnvironmentVariables.Get);
        var manifestDirectory = ManifestDirectory;
        var cgroups = CgroupDetection.Detect(CgroupDetection.GroupName(_manifest.App, stateDirectory));
        if (cgroups.Driver is { } driver)
        {
            teardown.Add(() => Task.Run(driver.RemoveParents));
        }

        var supervisorOptions = new SupervisorOptions
        {
            ManifestDirectory = manifestDirectory,
            StateDirectory = stateDirectory,
            VersionOverrides = _options.VersionOverrides,
            Secrets = secretStore,
            Cgroups = cgroups.Driver,
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

        Volatile.Write(ref _journal, supervisor.Journal);
        store.Disk.FullChanged += (full, message) => supervisor.Journal.Record("-", null, full ? EventKinds.DiskFull : EventKinds.DiskOk, message);
        // A message may carry an instance's own words (a probe's stderr): escaped, it cannot drive the terminal.
        supervisor.Journal.Recorded += e => Say($"{e.Time.UtcDateTime:HH:mm:ss.fff} {e.Service,-12} {e.Instance ?? "-",-20} {e.Kind,-14} {TerminalText.Escape(e.Message)}");

        // Ordering starts once the edge accepts (RunningDaemon): the CA's HTTP-01 request must be answered.
        Slipway.Proxy.Tls.Acme.AcmeRenewals? acme;
        try
        {
            acme = CreateAcme(servedCertificates, sockets.Proxy?.AcmeChallenges, supervisor.Journal, teardown);
        }
        catch (Slipway.Proxy.Tls.Acme.AcmeException e)
        {
            await error.WriteLineAsync($"slipway: proxy.tls.acme: {e.Message}").ConfigureAwait(false);
            return null;
        }

        var jobs = new JobRunner(new JobContext(live, store, supervisor.Journal, _time, new ProcessRunner(_time), secretStore, () => supervisor.SharedEnvironment,
            service => traffic.TryGetCurrent(service, out var current) ? (current.Version, supervisor.RunningSpec(service)) : null,
            manifestDirectory, stateDirectory));
        var smoke = teardown.Add(new SmokeChecker(() => SmokeTarget(proxy), _time));
        var backups = new DeployBackup(_manifest, manifestDirectory, EnvironmentVariables.Get, secrets.Find, _time, _loggers.CreateLogger("Slipway.Backups"));
        var rollouts = new RolloutController(live, new RolloutContext(supervisor, traffic, supervisor.Journal, store, Metrics, _time, new ProcessRunner(_time), smoke,
            manifestDirectory)
        {
            Applications = ApplicationMetrics,
            Backups = backups,
            Secrets = secretStore,
            StateDirectory = stateDirectory,
        });
        var applier = new ManifestApplier(live, supervisor, traffic, rollouts, secretStore, _time, manifestDirectory);
        var autoscaler = new Autoscaler(AutoscalerContext.For(live, supervisor, rollouts, new MetricReader(Metrics, ApplicationMetrics, dataPlane.Load), audit, _time,
            _loggers.CreateLogger("Slipway.Autoscaler")));
        Say($"slipway: app {_manifest.App}: {Describe()}; state in {stateDirectory}");
        Say(DescribeLimits(cgroups));
        var tokens = new TokenStore(stateDirectory, _time);
        if (tokens.EnsureAdmin(stateDirectory))
        {
            // The path, never the token: under a service manager this output lands in a journal others may read.
            Say($"slipway: first start: admin token written to {Path.Combine(stateDirectory, TokenStore.AdminTokenFile)} (mode 0600); the CLI on this machine reads it from there");
        }

        var backupStates = teardown.AddAsync(BackupStates.Start(_manifest, manifestDirectory, secrets.Find, _time, _manifest.Alerts.Interval));
        var alertInputs = DaemonAlerts.Inputs(_manifest, manifestDirectory, backupStates.Current, Metrics, ApplicationMetrics, supervisor, servedCertificates) with { Jobs = jobs.States };
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
            autoscaler,
            new BackupCertificateMetricsSource(alertInputs.Backups, alertInputs.Certificates, watchedSince: _time.GetUtcNow()),
            new JobMetricsSource(jobs.States),
            .. alerts is null ? Array.Empty<IMetricsSource>() : [alerts],
        ]);
        var scraper = teardown.Add(new ApplicationScraper(_manifest, supervisor.Instances, ApplicationMetrics, _time, _loggers.CreateLogger("Slipway.Telemetry")));
        ApiHost api;
        try
        {
            var context = new ApiContext(live, supervisor, store, secretStore, tokens, audit, stateDirectory, _time, Metrics, exposition,
                alerts?.Engine, alerts?.Notifier)
            {
                Rollouts = rollouts,
                Applier = applier,
                Jobs = jobs,
                Autoscaler = autoscaler,
                Maintenance = maintenance,
                ManifestDirectory = manifestDirectory,
                Backups = backups,
                Preflight = service => new PreflightContext(live.Current, manifestDirectory, stateDirectory, _time, EnvironmentVariables.Get, secrets.Find)
                {
                    ManifestPath = Path.GetFullPath(_options.ManifestPath),
                    Service = service,
                    Store = store,
                    ReadyInstances = name => supervisor.Instances().Count(i => i.Service == name && i.Ready),
                    NtpServer = NtpServer(EnvironmentVariables.Get("SLIPWAY_NTP_SERVER")),
                },
                Certificates = servedCertificates,
                Acme = acme,
            };
            var apiSocket = sockets.Listeners[BoundListener.ApiKey];
            api = await ApiHost.StartAsync(context, _options.Api, _loggers, _options.AuthLimiter ?? new AuthFailureLimiter(_time),
                (sockets.ApiFd, apiSocket.EndPoint), apiCertificate).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await error.WriteLineAsync($"slipway: cannot listen for the control API on {_options.Api.Host}:{_options.Api.Port}: {e.Message} (choose another with --api HOST:PORT)").ConfigureAwait(false);
            return null;
        }

        Say($"slipway: control API on {api.Address}");
        Say($"slipway: dashboard on {api.Address}/ (sign in with an API token; the admin's is in {Path.Combine(stateDirectory, TokenStore.AdminTokenFile)})");
        var addressFile = Path.Combine(stateDirectory, ApiHost.AddressFile);
        WriteAddress(addressFile, api.Address);
        var registered = DaemonRegistry.Register(stateDirectory, _options.Environment);
        teardown.Add(() =>
        {
            File.Delete(addressFile);
            if (registered is not null)
            {
                File.Delete(registered);
            }

            return Task.CompletedTask;
        });
        return new DaemonParts(supervisor, rollouts, applier, jobs, autoscaler, alerts, scraper, secrets, api, audit, sockets, stateDirectory, manifestDirectory, Say)
        {
            Acme = acme,
        };
    }

    /// <summary>Preflight's clock check asks pool.ntp.org unless <c>SLIPWAY_NTP_SERVER</c> names another server, or <c>off</c>.</summary>
    private static string? NtpServer(string? configured) => configured switch
    {
        null or "" => "pool.ntp.org",
        "off" => null,
        _ => configured,
    };
}
