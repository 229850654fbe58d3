using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Slipway.Backups;
using Slipway.Backups.Catalog;
using Slipway.Backups.Destinations;
using Slipway.Control.Logs;
using Slipway.Server.Auth;
using Slipway.Server.Cost;

namespace Slipway.Server.Api;

/// <summary>What <c>slipway cost</c> measures from the running app: instances, CPU and memory, request rates and sizes, storage.</summary>
internal static partial class ApiEndpoints
{
    /// <summary>Request rates are averaged over this: long enough to smooth bursts, short enough to be "now".</summary>
    private static readonly TimeSpan CostWindow = TimeSpan.FromMinutes(5);

    private static void MapCost(RouteGroupBuilder v1, ApiContext api)
    {
        v1.MapGet("/cost/measurements", async (CancellationToken cancellationToken) => TypedResults.Ok(await MeasureAsync(api, cancellationToken).ConfigureAwait(false)))
            .Role(ApiRole.Viewer)
            .WithSummary("Per service: running instances, average CPU cores and resident memory per instance, requests/s and response bytes per request over the last 5m; state, log and newest backup sizes.");
    }

    internal static async Task<CostMeasurements> MeasureAsync(ApiContext api, CancellationToken cancellationToken)
    {
        var manifest = api.Manifest.Current;
        var instances = api.Supervisor.Instances();
        var services = manifest.Services.Keys.Order(StringComparer.Ordinal).Select(name =>
        {
            var running = instances.Where(i => i.Service == name && i.Pid is not null).ToList();
            var requests = api.Metrics.Last(CostWindow, name);
            return new ServiceMeasurement(
                name,
                running.Count,
                running.Count == 0 ? null : running.Average(i => i.CpuPercent) / 100,
                running.Count == 0 ? null : (long)running.Average(i => i.ResidentBytes),
                requests.Requests / CostWindow.TotalSeconds,
                requests.Requests == 0 ? null : (double)requests.ResponseBytes / requests.Requests);
        }).ToList();
        var resolve = api.Preflight?.Invoke(null);
        var backups = new List<BackupMeasurement>();
        foreach (var (name, spec) in manifest.Backups.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            IBackupDestination? destination = null;
            try
            {
                destination = BackupDestinations.Open(spec, api.ManifestDirectory, resolve?.Environment ?? (_ => null), resolve?.Secrets ?? (_ => null));
                var records = await new BackupCatalog(destination).ListAsync(cancellationToken).ConfigureAwait(false);
                var newest = records.Where(r => r.Name == name && r.Status == BackupStatus.Succeeded).MaxBy(r => r.FinishedAt);
                backups.Add(new BackupMeasurement(name, newest?.Files.Sum(f => f.Bytes)));
            }
            catch (BackupException)
            {
                backups.Add(new BackupMeasurement(name, null));
            }
            finally
            {
                // An S3 destination holds an SDK client (its connections and buffers) that only Dispose lets go.
                (destination as IDisposable)?.Dispose();
            }
        }

        var logs = DirectorySize.Of(LogPaths.Root(api.StateDirectory));
        return new CostMeasurements(CostWindow.TotalSeconds, DirectorySize.Of(api.StateDirectory) - logs, logs, services, backups);
    }
}
