using Slipway.Control.Supervision;
using Slipway.Control.Telemetry;
using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Alerts;

/// <summary>What alert functions read: the request store, the supervisor's instances, the backup catalogs, the manifest (limits, SLOs).</summary>
internal sealed record AlertInputs(
    AppManifest Manifest,
    RequestMetricsStore Requests,
    Func<IReadOnlyList<InstanceStatus>> Instances,
    Func<IReadOnlyList<BackupState>> Backups);
