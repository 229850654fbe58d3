using System.ComponentModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Slipway.Server.Auth;
using Slipway.Server.Preflight;

namespace Slipway.Server.Api;

/// <summary>The go-live checklist (docs/operations.md#preflight), and the part of it a deploy must pass.</summary>
internal static partial class ApiEndpoints
{
    private static void MapPreflight(RouteGroupBuilder v1, ApiContext api)
    {
        v1.MapGet("/preflight", async Task<Results<Ok<PreflightReport>, ProblemHttpResult>> (
                [Description("Only this service's findings (and the app's own); every service when absent.")] string? service,
                CancellationToken cancellationToken) =>
            {
                if (service is not null && !api.Manifest.Services.ContainsKey(service))
                {
                    return UnknownService(service);
                }

                if (api.Preflight is not { } preflight)
                {
                    return Problems.Result(StatusCodes.Status404NotFound, "this host runs no preflight checks");
                }

                return TypedResults.Ok(await PreflightRunner.RunAsync(preflight(service), cancellationToken).ConfigureAwait(false));
            })
            .Role(ApiRole.Viewer)
            .WithSummary("Run the go-live checks (secrets, backups, certificates, alert receivers, disk, clock, deploy path); each finding is ok, warn, fail or skipped with its evidence and fix.");
    }

    /// <summary>
    /// The deploy's own checks for <paramref name="service"/>: null when they pass (or there are none), else the fails in
    /// one line. A forced deploy goes ahead with that line in its audit entry and its reason.
    /// </summary>
    private static async Task<string?> DeployPreflightAsync(ApiContext api, string service, CancellationToken cancel)
    {
        if (api.Preflight is not { } preflight || !api.Manifest.Services.ContainsKey(service))
        {
            return null;
        }

        var report = await PreflightRunner.RunForDeployAsync(preflight(service), cancel).ConfigureAwait(false);
        return report.Passed ? null
            : "preflight fails: " + string.Join("; ", report.Findings.Where(f => f.Status == PreflightStatus.Fail).Select(f => $"{f.Subject}: {f.Evidence}"));
    }
}
