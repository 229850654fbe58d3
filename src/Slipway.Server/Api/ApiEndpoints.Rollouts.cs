using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Slipway.Control.Rollouts;
using Slipway.Core.Manifest.Model;
using Slipway.Server.Api.Contracts;
using Slipway.Server.Auth;

namespace Slipway.Server.Api;

/// <summary>Deploy, promote, abort, pause, resume, rollback, and revision history.</summary>
internal static partial class ApiEndpoints
{
    private static void MapRollouts(RouteGroupBuilder v1, ApiContext api)
    {
        v1.MapPost("/services/{name}/deploy", async Task<Results<Ok<RolloutResponse>, ProblemHttpResult>> (string name, RequestBody<DeployRequest> body, HttpContext context) =>
            {
                if (body.Unreadable is { } unreadable)
                {
                    return unreadable;
                }

                var request = body.Value!;
                var errors = new Dictionary<string, string[]>();
                body.Check(errors, "version", !string.IsNullOrEmpty(request.Version), "is required, a string such as \"2\" or \"v2.1.0\"");
                if (body.Invalid(errors) is { } invalid)
                {
                    return invalid;
                }

                AuditArguments.Add(context, "version", request.Version!);
                AuditArguments.Add(context, "force", request.Force ? "true" : "false");
                if (request.Reason is not null)
                {
                    AuditArguments.Add(context, "reason", request.Reason);
                }

                var reason = request.Reason;
                // A version the controller will refuse anyway is refused for that, not for what preflight finds.
                if (RevisionNames.IsValidVersion(request.Version!) && await DeployPreflightAsync(api, name, context.RequestAborted).ConfigureAwait(false) is { } failed)
                {
                    if (!request.Force)
                    {
                        return Problems.Result(StatusCodes.Status409Conflict, $"{name}: {failed}; fix them, or deploy --force (recorded in the audit log)");
                    }

                    AuditArguments.Add(context, "preflight", "overridden: " + failed);
                    reason = $"{reason}{(reason is null ? "" : "; ")}forced past {failed}";
                }

                return await RolloutCall(api, context, r => r.DeployAsync(new RolloutRequest(name, request.Version!, request.Force, reason, Caller(context)))).ConfigureAwait(false);
            })
            .Role(ApiRole.Deployer)
            .WithSummary("Deploy a version as a new revision with the service's strategy; answers once the rollout runs. force aborts a running one and ignores deploy windows.");
        v1.MapPost("/services/{name}/promote", (string name, HttpContext context) => RolloutCall(api, context, r => Task.FromResult(r.Promote(name))))
            .Role(ApiRole.Deployer).WithSummary("Promote the running canary or blue-green rollout now.");
        v1.MapPost("/services/{name}/pause", (string name, HttpContext context) => RolloutCall(api, context, r => Task.FromResult(r.Pause(name))))
            .Role(ApiRole.Deployer).WithSummary("Hold the running rollout where it is (analysis goes on).");
        v1.MapPost("/services/{name}/resume", (string name, HttpContext context) => RolloutCall(api, context, r => Task.FromResult(r.Resume(name))))
            .Role(ApiRole.Deployer).WithSummary("Continue a paused rollout.");
        v1.MapPost("/services/{name}/abort", (string name, HttpContext context) => RolloutCall(api, context, r => r.AbortAsync(name, Caller(context))))
            .Role(ApiRole.Deployer)
            .WithSummary("End the running rollout: all traffic back on stable, new instances drained; answers when done.");
        v1.MapPost("/services/{name}/rollback", async Task<Results<Ok<RolloutResponse>, ProblemHttpResult>> (string name, RequestBody<RollbackRequest>? body, HttpContext context) =>
            {
                if (body?.Unreadable is { } unreadable)
                {
                    return unreadable;
                }

                if (body?.Invalid([]) is { } invalid)
                {
                    return invalid;
                }

                var to = body?.Value!.To;
                if (to is not null)
                {
                    AuditArguments.Add(context, "to", to);
                }

                return await RolloutCall(api, context, r => r.RollbackAsync(name, to, Caller(context))).ConfigureAwait(false);
            })
            .Role(ApiRole.Deployer)
            .WithSummary("Back to the previous revision, or to the one the optional body names: instant when it is still warm.");
        v1.MapGet("/services/{name}/revisions", Results<Ok<IReadOnlyList<RevisionResponse>>, ProblemHttpResult> (string name) =>
                api.Manifest.Services.ContainsKey(name)
                    ? TypedResults.Ok<IReadOnlyList<RevisionResponse>>([.. api.Store.Revisions(name).Select(RevisionResponse.Of)])
                    : UnknownService(name))
            .Role(ApiRole.Viewer)
            .WithSummary("Revision history, newest first: version, who, why, outcome, duration.");
    }

    /// <summary>Runs a rollout command, its intent audited first; a refusal becomes 404, 409 or 400.</summary>
    private static async Task<Results<Ok<RolloutResponse>, ProblemHttpResult>> RolloutCall(ApiContext api, HttpContext context, Func<RolloutController, Task<RolloutStatus>> call)
    {
        if (api.Rollouts is not { } rollouts)
        {
            return Problems.Result(StatusCodes.Status503ServiceUnavailable, "this daemon runs no rollout controller");
        }

        AuditIntent.Write(context, api.Audit);
        try
        {
            return TypedResults.Ok(RolloutResponse.Of(await call(rollouts).ConfigureAwait(false)));
        }
        catch (RolloutRefusedException e)
        {
            return e.Kind switch
            {
                RefusalKind.NotFound => Problems.NotFound(e.Message),
                RefusalKind.Conflict => Problems.Result(StatusCodes.Status409Conflict, e.Message),
                _ => Problems.Result(StatusCodes.Status400BadRequest, e.Message),
            };
        }
    }

    private static string Caller(HttpContext context) => ApiPrincipal.Get(context)?.Name ?? "unknown";
}
