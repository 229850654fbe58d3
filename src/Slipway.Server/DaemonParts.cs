using Slipway.Control.Apply;
using Slipway.Control.Audit;
using Slipway.Control.Autoscaling;
using Slipway.Control.Jobs;
using Slipway.Control.Rollouts;
using Slipway.Control.Secrets;
using Slipway.Control.Supervision;
using Slipway.Control.Telemetry;
using Slipway.Server.Api;
using Slipway.Server.Listeners;

namespace Slipway.Server;

/// <summary>What <see cref="SlipwayDaemon"/> builds for one run, listening but not yet started; <see cref="RunningDaemon"/> starts and stops it.</summary>
internal sealed record DaemonParts(
    Supervisor Supervisor,
    RolloutController Rollouts,
    ManifestApplier Applier,
    JobRunner Jobs,
    Autoscaler Autoscaler,
    DaemonAlerts? Alerts,
    ApplicationScraper Scraper,
    SecretResolver Secrets,
    ApiHost Api,
    AuditLog Audit,
    DaemonSockets Sockets,
    string StateDirectory,
    string ManifestDirectory,
    Action<string> Say);
