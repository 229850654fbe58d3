using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Slipway.Backups;
using Slipway.Backups.Catalog;
using Slipway.Backups.Destinations;
using Slipway.Control.Events;
using Slipway.Control.Secrets;
using Slipway.Control.State;
using Slipway.Core.Configuration;
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
        v1.MapGet("/backups", async (CancellationToken cancellationToken) => TypedResults.Ok(
                await BackupsAsync(api.Manifest.Current, api.ManifestDirectory, new SecretResolver(api.Secrets, EnvironmentVariables.Get).Find, api.Store, cancellationToken).ConfigureAwait(false)))
            .Role(ApiRole.Viewer)
            .WithSummary("Every backup in the manifest: schedules, RTO/RPO objectives, the catalog with verifications, and the daemon's outcomes (drills with their RTO and RPO).");
        v1.MapPost("/backups/{name}/run", async Task<Results<Ok<BackupResponse>, ProblemHttpResult>> (string name, HttpContext context) =>
            {
                if (!api.Manifest.Current.Backups.ContainsKey(name) || api.Backups is null)
                {
                    return Problems.NotFound($"there is no backup named {name} in this app");
                }

                BackupRecord record;
                try
                {
                    // The caller's request bounds it: a client that gives up cancels the backup, whose upload is then aborted.
                    record = await api.Backups.TakeAsync(name, context.RequestAborted).ConfigureAwait(false);
                }
                catch (BackupException e)
                {
                    api.Supervisor.Journal.Record(name, null, EventKinds.BackupFailed, $"cannot resolve backup {name}: {e.Message}");
                    return Problems.Result(StatusCodes.Status422UnprocessableEntity, $"backup {name}: {e.Message}");
                }

                DaemonBackups.Report(api.Supervisor.Journal, name, record);
                AuditArguments.Add(context, "backup", record.Id);
                return TypedResults.Ok(BackupResponse.Of(record));
            })
            .Role(ApiRole.Deployer)
            .WithSummary("Take the backup now with the daemon's secrets, copy it (copyTo) and apply retention; answers when it is done with its record (status failed and the error when it failed).");
    }

    /// <summary>Each backup of <paramref name="manifest"/> with the catalog at its destination (resolved from <paramref name="manifestDirectory"/>).</summary>
    /// <param name="secrets">Resolves an S3 destination's <c>secret:</c> keys.</param>
    internal static async Task<IReadOnlyList<BackupSetResponse>> BackupsAsync(
        AppManifest manifest, string manifestDirectory, Func<string, string?> secrets, StateStore store, CancellationToken cancellationToken)
    {
        var sets = new List<BackupSetResponse>();
        foreach (var (name, spec) in manifest.Backups.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            var problems = new List<string>();
            var (location, records) = await CatalogAsync(name, spec, manifestDirectory, secrets, problems, cancellationToken).ConfigureAwait(false);
            sets.Add(new BackupSetResponse(
                name,
                spec.Kind.ToString().ToLowerInvariant(),
                location,
                spec.Schedule?.ToString(),
                spec.Verify.Schedule?.ToString(),
                spec.Rto?.TotalSeconds,
                spec.Rpo?.TotalSeconds,
                [.. records.Select(BackupResponse.Of)],
                [.. store.Events(name, BackupOutcomes).Where(e => e.Kind.StartsWith("backup-", StringComparison.Ordinal))],
                problems));
        }

        return sets;
    }

    /// <summary>The destination's records of <paramref name="name"/>; an S3 store that cannot be read is a problem in the answer, not a failed request.</summary>
    private static async Task<(string Location, List<BackupRecord> Records)> CatalogAsync(
        string name, BackupSpec spec, string manifestDirectory, Func<string, string?> secrets, List<string> problems, CancellationToken cancellationToken)
    {
        IBackupDestination destination;
        try
        {
            destination = BackupDestinations.Open(spec, manifestDirectory, EnvironmentVariables.Get, secrets);
        }
        catch (BackupException e)
        {
            problems.Add(e.Message);
            return (spec.Destination, []);
        }

        try
        {
            return (destination.Location, [.. (await new BackupCatalog(destination).ListAsync(cancellationToken, problems).ConfigureAwait(false)).Where(r => r.Name == name)]);
        }
        catch (BackupException e)
        {
            problems.Add(e.Message);
            return (destination.Location, []);
        }
        finally
        {
            (destination as IDisposable)?.Dispose();
        }
    }
}
