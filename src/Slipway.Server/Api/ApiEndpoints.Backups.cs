using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Slipway.Control.Backups;
using Slipway.Server.Api.Contracts;
using Slipway.Server.Auth;

namespace Slipway.Server.Api;

/// <summary>The backups the manifest declares: catalog, verifications, and the daemon's recorded outcomes.</summary>
internal static partial class ApiEndpoints
{
    /// <summary>Outcome events kept per backup in the answer, newest last.</summary>
    private const int BackupOutcomes = 50;

    private static void MapBackups(RouteGroupBuilder v1, ApiContext api)
    {
        v1.MapGet("/backups", () => TypedResults.Ok<IReadOnlyList<BackupSetResponse>>([.. api.Manifest.Current.Backups
                .OrderBy(b => b.Key, StringComparer.Ordinal)
                .Select(b =>
                {
                    var (name, spec) = (b.Key, b.Value);
                    var destination = new LocalBackupDestination(Path.Combine(api.ManifestDirectory, spec.Destination));
                    var problems = new List<string>();
                    var records = Directory.Exists(destination.Location)
                        ? new BackupCatalog(destination).List(problems).Where(r => r.Name == name).ToList()
                        : [];
                    return new BackupSetResponse(
                        name,
                        spec.Kind.ToString().ToLowerInvariant(),
                        destination.Location,
                        spec.Schedule?.ToString(),
                        spec.Verify.Schedule?.ToString(),
                        spec.Rto?.TotalSeconds,
                        spec.Rpo?.TotalSeconds,
                        [.. records.Select(BackupResponse.Of)],
                        [.. api.Store.Events(name, BackupOutcomes).Where(e => e.Kind.StartsWith("backup-", StringComparison.Ordinal))],
                        problems);
                })]))
            .Role(ApiRole.Viewer)
            .WithSummary("Every backup in the manifest: schedules, RTO/RPO objectives, the catalog with verifications, and the daemon's outcomes (drills with their RTO and RPO).");
    }
}
