using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Slipway.Backups.Catalog;
using Slipway.Backups.Destinations;
using Slipway.Control.State;
using Slipway.Core.Manifest.Model;
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
        v1.MapGet("/backups", () => TypedResults.Ok(Backups(api.Manifest.Current, api.ManifestDirectory, api.Store)))
            .Role(ApiRole.Viewer)
            .WithSummary("Every backup in the manifest: schedules, RTO/RPO objectives, the catalog with verifications, and the daemon's outcomes (drills with their RTO and RPO).");
    }

    /// <summary>Each backup of <paramref name="manifest"/> with the catalog at its destination (resolved from <paramref name="manifestDirectory"/>).</summary>
    internal static IReadOnlyList<BackupSetResponse> Backups(AppManifest manifest, string manifestDirectory, StateStore store) =>
    [
        .. manifest.Backups.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b =>
        {
            var (name, spec) = (b.Key, b.Value);
            var destination = new LocalBackupDestination(Path.Combine(manifestDirectory, spec.Destination));
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
                [.. store.Events(name, BackupOutcomes).Where(e => e.Kind.StartsWith("backup-", StringComparison.Ordinal))],
                problems);
        }),
    ];
}
