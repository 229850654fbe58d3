using Slipway.Control.Jobs;
using Slipway.Control.Supervision;
using Slipway.Control.Telemetry;
using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Alerts;

/// <summary>
/// What alert functions read: the request store, the supervisor's instances, the backup catalogs, the manifest
/// (limits, SLOs), the expiry of the proxy's certificate files (by path; none without TLS), and what services
/// serve on <c>metrics.path</c> (for <c>app_*</c>; none without a store).
/// </summary>
internal sealed record AlertInputs(
    AppManifest Manifest,
    RequestMetricsStore Requests,
    Func<IReadOnlyList<InstanceStatus>> Instances,
    Func<IReadOnlyList<BackupState>> Backups,
    Func<IReadOnlyList<(string Certificate, DateTimeOffset NotAfter)>>? Certificates = null,
    ApplicationMetricsStore? Applications = null)
{
    /// <summary>The jobs' newest outcomes, for <c>job_failed</c>; none without a job runner.</summary>
    public Func<IReadOnlyList<JobState>>? Jobs { get; init; }
}
