using Slipway.Backups;
using Slipway.Control.Alerts;
using Slipway.Control.Apply;
using Slipway.Control.Audit;
using Slipway.Control.Autoscaling;
using Slipway.Control.Jobs;
using Slipway.Control.Maintenance;
using Slipway.Control.Notifications;
using Slipway.Control.Rollouts;
using Slipway.Control.Runtime;
using Slipway.Control.Secrets;
using Slipway.Control.State;
using Slipway.Control.Supervision;
using Slipway.Control.Telemetry;
using Slipway.Server.Auth;
using Slipway.Server.Preflight;

namespace Slipway.Server.Api;

/// <summary>What the endpoints work on; built once by the daemon. Alerts and notifications are null when the manifest has none.</summary>
internal sealed record ApiContext(
    LiveManifest Manifest,
    Supervisor Supervisor,
    StateStore Store,
    SecretStore Secrets,
    TokenStore Tokens,
    AuditLog Audit,
    string StateDirectory,
    TimeProvider Time,
    RequestMetricsStore Metrics,
    MetricsExposition Exposition,
    AlertEngine? Alerts = null,
    Notifier? Notifications = null)
{
    /// <summary>Deploys and rollbacks; null only in hosts that run no rollouts.</summary>
    public RolloutController? Rollouts { get; init; }

    /// <summary>Where the manifest lives: relative paths in it (backup destinations) start here.</summary>
    public string ManifestDirectory { get; init; } = ".";

    /// <summary><c>slipway apply</c>; null only in hosts that run no rollouts.</summary>
    public ManifestApplier? Applier { get; init; }

    /// <summary>The manifest's <c>jobs:</c>; null only in hosts that run none.</summary>
    public JobRunner? Jobs { get; init; }

    /// <summary>Scales <c>autoscale</c> services; null in hosts that run no autoscaler.</summary>
    public Autoscaler? Autoscaler { get; init; }

    /// <summary>The event and log streams open now: capped, ended when their token is revoked or they are too old.</summary>
    public StreamRegistry Streams { get; init; } = new(Time);

    /// <summary><c>slipway backup run --daemon</c>: the manifest's backups taken with the daemon's secrets; null in hosts that take none.</summary>
    public DeployBackup? Backups { get; init; }

    /// <summary>What preflight checks read, for all services (null) or one; null in hosts that run no checks.</summary>
    public Func<string?, PreflightContext>? Preflight { get; init; }

    /// <summary><c>slipway maintenance</c>.</summary>
    public MaintenanceStore? Maintenance { get; init; }

    /// <summary>What the edge's HTTPS listeners serve, for <c>slipway certs</c>; null without one.</summary>
    public Proxy.Tls.CertificateStore? Certificates { get; init; }

    /// <summary><c>proxy.tls.acme</c>'s renewals; null without it.</summary>
    public Proxy.Tls.Acme.AcmeRenewals? Acme { get; init; }
}
