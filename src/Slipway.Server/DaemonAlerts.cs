using System.Text.Json;
using Microsoft.Extensions.Logging;
using Slipway.Control.Alerts;
using Slipway.Control.Events;
using Slipway.Control.Notifications;
using Slipway.Control.Secrets;
using Slipway.Control.Supervision;
using Slipway.Control.Telemetry;
using Slipway.Core.Alerting;
using Slipway.Core.Configuration;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Primitives;
using Slipway.Proxy.Tls;

namespace Slipway.Server;

/// <summary>
/// The daemon's share of the manifest's <c>alerts:</c>: the engine over the request store, the supervisor's
/// instances and the backup catalogs; the notifier with its receivers and the state directory's silences.
/// Alerts that fire or resolve, deploy events, and receivers that keep failing are journal events (under the
/// alert's service, else <c>alerts</c>). Its metrics (<c>slipway_alerts_firing</c>,
/// <c>slipway_notifications_*</c>) are one <see cref="IMetricsSource"/>.
/// </summary>
internal sealed class DaemonAlerts : IMetricsSource, IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly EventJournal _journal;
    private readonly HashSet<string> _firing = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    private DaemonAlerts(AlertEngine engine, Notifier? notifier, HttpClient http, EventJournal journal)
    {
        Engine = engine;
        Notifier = notifier;
        _http = http;
        _journal = journal;
    }

    public AlertEngine Engine { get; }

    /// <summary>Null when the manifest names no receivers: alerts are then only listed and counted.</summary>
    public Notifier? Notifier { get; }

    /// <summary>
    /// What alert functions read: the stores, the supervisor's instances, the backup catalogs and the proxy's certificate.
    /// Built whether or not there are rules: <c>/metrics</c> exports the backup and certificate numbers from the same callbacks.
    /// </summary>
    /// <param name="backups">The backups' newest states (<see cref="BackupStates.Current"/>).</param>
    /// <param name="served">The HTTPS listeners' certificates; null without one, and then the certificate file is read.</param>
    public static AlertInputs Inputs(
        AppManifest manifest, string manifestDirectory, Func<IReadOnlyList<BackupState>> backups, RequestMetricsStore requests, ApplicationMetricsStore applications,
        Supervisor supervisor, CertificateStore? served)
    {
        var certificates = manifest.Proxy.Tls is { Certificate.Length: > 0 } tls ? new CertificateExpiry(tls.Certificate, Path.Combine(manifestDirectory, tls.Certificate)) : null;
        return new AlertInputs(manifest, requests, supervisor.Instances, backups,
            served is not null
                ? ServedCertificates.Expiry(served)
                : () => certificates?.Read() is { } notAfter ? [(certificates.Name, notAfter)] : [],
            applications);
    }

    /// <summary>Null when the manifest has neither rules nor receivers.</summary>
    public static DaemonAlerts? Create(AppManifest manifest, string stateDirectory, SecretResolver secrets, AlertInputs inputs, Supervisor supervisor,
        TimeProvider time, ILoggerFactory loggers)
    {
        var alerts = manifest.Alerts;
        if (alerts.Rules.Count == 0 && alerts.Receivers.Count == 0)
        {
            return null;
        }

        var logger = loggers.CreateLogger("Slipway.Alerts");
        var engine = new AlertEngine(BuiltInRules.Expand(alerts), inputs, time, alerts.Interval, logger);
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        Notifier? notifier = null;
        if (alerts.Receivers.Count > 0)
        {
            string? Resolve(ValueReference reference) => reference.Kind switch
            {
                ValueReferenceKind.Env => EnvironmentVariables.Get(reference.Name!),
                ValueReferenceKind.Secret => secrets.Find(reference.Name!),
                _ => reference.Literal,
            };
            var receivers = AlertReceivers.FromSpec(alerts, Resolve, http);
            notifier = new Notifier(alerts, receivers, OpenSilences(stateDirectory, time, logger), time, logger);
            var report = new ReceiverFailureReport(time, line => supervisor.Journal.Record("alerts", null, EventKinds.NotificationFailed, line));
            notifier.ReceiverFailed += report.Failed;
            foreach (var (name, spec) in alerts.Receivers.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                if ((spec.Slack ?? spec.Webhook ?? spec.Alertmanager) is { } url && Resolve(url) is null)
                {
                    report.Unset(name, url.ToString());
                }
            }
        }

        var result = new DaemonAlerts(engine, notifier, http, supervisor.Journal);
        engine.Evaluated += result.OnEvaluated;
        if (notifier is not null)
        {
            supervisor.Journal.Recorded += notifier.Notify;
        }

        return result;
    }

    public void Start(string externalUrl)
    {
        if (Notifier is not null)
        {
            Notifier.ExternalUrl = externalUrl;
            Notifier.Start();
        }

        Engine.Start();
    }

    public void WriteMetrics(MetricsWriter writer)
    {
        Engine.WriteMetrics(writer);
        Notifier?.WriteMetrics(writer);
    }

    public async ValueTask DisposeAsync()
    {
        Engine.Dispose();
        if (Notifier is not null)
        {
            _journal.Recorded -= Notifier.Notify;
            await Notifier.DisposeAsync().ConfigureAwait(false);
        }

        _http.Dispose();
    }

    private void OnEvaluated(IReadOnlyList<AlertInfo> alerts)
    {
        lock (_lock)
        {
            Journal(alerts);
        }

        Notifier?.Update(alerts);
    }

    private void Journal(IReadOnlyList<AlertInfo> alerts)
    {
        foreach (var alert in alerts)
        {
            var service = alert.Labels.GetValueOrDefault("service") ?? alert.Labels.GetValueOrDefault("backup") ?? "alerts";
            var summary = alert.Annotations.GetValueOrDefault("summary") ?? $"{alert.Name} {string.Join(",", alert.Labels.Select(l => $"{l.Key}={l.Value}"))}";
            if (alert.State == AlertState.Firing && _firing.Add(alert.Fingerprint))
            {
                _journal.Record(service, alert.Labels.GetValueOrDefault("instance"), EventKinds.AlertFiring, $"{alert.Name} ({alert.Severity}): {summary}");
            }
            else if (alert.State == AlertState.Resolved && _firing.Remove(alert.Fingerprint))
            {
                _journal.Record(service, alert.Labels.GetValueOrDefault("instance"), EventKinds.AlertResolved, $"{alert.Name}: {summary}");
            }
        }
    }

    /// <summary>The state directory's silences; an unreadable file is set aside (<c>.bad</c>) rather than stopping the daemon.</summary>
    private static SilenceStore OpenSilences(string stateDirectory, TimeProvider time, ILogger logger)
    {
        try
        {
            return new SilenceStore(stateDirectory, time);
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            var path = Path.Combine(stateDirectory, SilenceStore.FileName);
            AlertsLog.SilencesUnreadable(logger, path, e.Message);
            File.Move(path, path + ".bad", overwrite: true);
            return new SilenceStore(stateDirectory, time);
        }
    }
}
