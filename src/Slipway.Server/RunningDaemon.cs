using Microsoft.Extensions.Logging;
using Slipway.Control.Apply;
using Slipway.Control.Events;
using Slipway.Control.Rollouts;
using Slipway.Control.Telemetry;
using Slipway.Core.Manifest.Model;
using Slipway.Server.Api;
using Slipway.Server.Listeners;

namespace Slipway.Server;

/// <summary>
/// A daemon that runs: its instances supervised, the edge accepting, unfinished rollouts settled, alerts, scheduled
/// backups, jobs, scrapes and the autoscaler going. <see cref="StopAsync"/> takes it down in order: the API first, then
/// jobs and rollouts, then the instances drain and stop, then what they needed (alerts, store, proxy, the state lock);
/// <see cref="HandOverAsync"/> gives the listeners and the instances to a successor instead.
/// </summary>
internal sealed partial class RunningDaemon
{
    private readonly DaemonParts _parts;
    private readonly Teardown _teardown;
    private readonly AppManifest _manifest;
    private readonly RequestMetricsStore _metrics;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task _backups = Task.CompletedTask;
    private Task _scraping = Task.CompletedTask;
    private Task _autoscaling = Task.CompletedTask;
    private IDisposable? _prune;

    public RunningDaemon(DaemonParts parts, Teardown teardown, AppManifest manifest, RequestMetricsStore metrics, TimeProvider time, ILoggerFactory loggers)
    {
        _parts = parts;
        _teardown = teardown;
        _manifest = manifest;
        _metrics = metrics;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger("Slipway.Daemon");
    }

    /// <summary>Where the control API listens (tests start the daemon with port 0 and read this).</summary>
    public string ApiAddress => _parts.Api.Address;

    /// <summary>The running API host, for tests that compare the OpenAPI document with the mapped endpoints.</summary>
    public ApiHost Api => _parts.Api;

    /// <summary>
    /// Starts supervising (adopting what a previous daemon left), lets the edge accept once the adopted instances are
    /// back in routing, tells a predecessor this daemon serves, settles its rollouts, then the periodic work.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        DaemonLog.Started(_logger, _manifest.App, _parts.StateDirectory);
        await _parts.Supervisor.StartAsync().ConfigureAwait(false);
        if (_parts.Sockets.Proxy is { } proxy)
        {
            await _parts.Supervisor.RestoredAsync(SlipwayDaemon.RestoreLimit).ConfigureAwait(false);
            await proxy.StartAsync(cancellationToken).ConfigureAwait(false);
            _parts.Say($"slipway: proxy listening on {string.Join(", ", proxy.EdgeUrls)}"
                + string.Concat(proxy.InternalEndpoints.Select(i => $"; {i.Key} internally on http://{i.Value}")));
        }

        if (_parts.Sockets.Predecessor is { } predecessor)
        {
            Handover.SayServing(predecessor.Connection);
            _parts.Say($"slipway: took over from pid {predecessor.Pid}: its listeners and instances are this daemon's now");
        }

        await _parts.Rollouts.StartAsync().ConfigureAwait(false);
        await ApplyChangedSpecsAsync().ConfigureAwait(false);
        await _parts.Jobs.StartAsync().ConfigureAwait(false);
        _parts.Alerts?.Start($"{ApiAddress.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)}/api/v1/alerts");
        _backups = DaemonBackups.RunAsync(_manifest, _parts.ManifestDirectory, _parts.Secrets, _time, _loggers, _parts.Supervisor.Journal, _stopping.Token);
        _scraping = _parts.Scraper.RunAsync(_stopping.Token);
        _autoscaling = _parts.Autoscaler.RunAsync(_stopping.Token);
        _prune = _metrics.PruneEvery(SlipwayDaemon.PruneInterval);
    }

    /// <summary>Stops everything, draining instances within each service's timeouts. Call once.</summary>
    public async Task StopAsync()
    {
        await StopPeriodicWorkAsync().ConfigureAwait(false);
        await _parts.Api.DisposeAsync().ConfigureAwait(false);

        // Jobs use the services (a migration, a cleanup against the database): they stop before the instances do.
        await _parts.Jobs.StopAsync().ConfigureAwait(false);

        DaemonLog.Stopping(_logger);
        _parts.Say("slipway: stopping: draining, then SIGTERM, then SIGKILL after each service's grace period");
        await _parts.Rollouts.DisposeAsync().ConfigureAwait(false);
        await _parts.Supervisor.StopAsync().ConfigureAwait(false);
        await _teardown.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
        SayAuditHead();
        _parts.Say("slipway: stopped");
    }

    /// <summary>Printed where a service manager keeps it: a head kept off the machine is what shows entries cut off the end.</summary>
    private void SayAuditHead()
    {
        var (headSeq, head) = _parts.Audit.Head;
        _parts.Say($"slipway: audit log head: entry {headSeq}, hash {head} (`slipway audit verify --head {head}` proves nothing up to it was changed or removed)");
    }

    private async Task StopPeriodicWorkAsync()
    {
        // Scheduled backups end with it; a backup in progress is cancelled, not half-kept.
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _backups.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _scraping.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _autoscaling.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _prune?.Dispose();
    }

    /// <summary>
    /// A run spec edited while the daemon was stopped is rolled out now, as `slipway apply` would (versions
    /// kept as they run): its instances were adopted with the spec they were started with.
    /// </summary>
    private async Task ApplyChangedSpecsAsync()
    {
        if (!_parts.Applier.Plan(_manifest, keepVersions: true).Actions.Any(a => a.Kind == ApplyActionKind.Deploy))
        {
            return;
        }

        try
        {
            await _parts.Applier.ApplyAsync(_manifest, null, force: false, "daemon", "the manifest changed while the daemon was stopped", ApplyRole.Admin, keepVersions: true).ConfigureAwait(false);
        }
        catch (RolloutRefusedException e)
        {
            _parts.Supervisor.Journal.Record("-", null, EventKinds.Error, $"the manifest changed while the daemon was stopped, but it cannot be rolled out now: {e.Message}; `slipway apply` it later");
        }
    }
}
