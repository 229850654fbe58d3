using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Slipway.Control.Rollouts;
using Slipway.Server.Api.OpenApi;
using Slipway.Server.Auth;

namespace Slipway.Server.Api;

/// <summary>Deploy, promote, abort, pause, resume, rollback, and revision history.</summary>
internal static partial class ApiEndpoints
{
    private static void MapRollouts(RouteGroupBuilder v1, ApiContext api)
    {
        v1.MapPost("/services/{name}/deploy", async (string name, HttpContext context) =>
            {
                var (body, problem) = await JsonBody.ReadObjectAsync(context).ConfigureAwait(false);
                if (problem is not null)
                {
                    return problem;
                }

                var errors = new Dictionary<string, string[]>();
                var version = JsonBody.String(body, "version");
                if (string.IsNullOrEmpty(version))
                {
                    errors["version"] = ["is required, a string such as \"2\" or \"v2.1.0\""];
                }

                var force = false;
                if (body.TryGetProperty("force", out var forceValue))
                {
                    if (forceValue.ValueKind is JsonValueKind.True or JsonValueKind.False)
                    {
                        force = forceValue.GetBoolean();
                    }
                    else
                    {
                        errors["force"] = [$"must be true or false (got {forceValue.GetRawText()})"];
                    }
                }

                if (body.TryGetProperty("reason", out var reasonValue) && reasonValue.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                {
                    errors["reason"] = [$"must be a string (got {reasonValue.GetRawText()})"];
                }

                if (errors.Count > 0)
                {
                    return Problems.Invalid(errors);
                }

                AuditArguments.Add(context, "version", version!);
                AuditArguments.Add(context, "force", force ? "true" : "false");
                var reason = JsonBody.String(body, "reason");
                if (reason is not null)
                {
                    AuditArguments.Add(context, "reason", reason);
                }

                return await RolloutCall(api, context, r => r.DeployAsync(new RolloutRequest(name, version!, force, reason, Caller(context)))).ConfigureAwait(false);
            })
            .Role(ApiRole.Deployer)
            .Summary("Deploy a version as a new revision with the service's strategy; answers once the rollout runs. force aborts a running one and ignores deploy windows.")
            .Accepts(Schemas.Object(("version", Schemas.String()), ("force", Schemas.Boolean()), ("reason", Schemas.String())))
            .Returns(RolloutSchema);
        v1.MapPost("/services/{name}/promote", (string name, HttpContext context) => RolloutCall(api, context, r => Task.FromResult(r.Promote(name))))
            .Role(ApiRole.Deployer).Summary("Promote the running canary or blue-green rollout now.").Returns(RolloutSchema);
        v1.MapPost("/services/{name}/pause", (string name, HttpContext context) => RolloutCall(api, context, r => Task.FromResult(r.Pause(name))))
            .Role(ApiRole.Deployer).Summary("Hold the running rollout where it is (analysis goes on).").Returns(RolloutSchema);
        v1.MapPost("/services/{name}/resume", (string name, HttpContext context) => RolloutCall(api, context, r => Task.FromResult(r.Resume(name))))
            .Role(ApiRole.Deployer).Summary("Continue a paused rollout.").Returns(RolloutSchema);
        v1.MapPost("/services/{name}/abort", (string name, HttpContext context) => RolloutCall(api, context, r => r.AbortAsync(name, Caller(context))))
            .Role(ApiRole.Deployer)
            .Summary("End the running rollout: all traffic back on stable, new instances drained; answers when done.")
            .Returns(RolloutSchema);
        v1.MapPost("/services/{name}/rollback", async (string name, HttpContext context) =>
            {
                string? to = null;
                if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
                {
                    var (body, problem) = await JsonBody.ReadObjectAsync(context).ConfigureAwait(false);
                    if (problem is not null)
                    {
                        return problem;
                    }

                    if (body.TryGetProperty("to", out var value) && value.ValueKind != JsonValueKind.Null)
                    {
                        to = value.ValueKind switch
                        {
                            JsonValueKind.String => value.GetString(),
                            JsonValueKind.Number => value.GetRawText(),
                            _ => null,
                        };
                        if (to is null)
                        {
                            return Problems.Invalid(new Dictionary<string, string[]> { ["to"] = [$"must be a revision number (got {value.GetRawText()})"] });
                        }

                        AuditArguments.Add(context, "to", to);
                    }
                }

                return await RolloutCall(api, context, r => r.RollbackAsync(name, to, Caller(context))).ConfigureAwait(false);
            })
            .Role(ApiRole.Deployer)
            .Summary("Back to the previous revision, or to the one the optional body names: instant when it is still warm.")
            .Accepts(Schemas.Object(("to", Schemas.String())))
            .Returns(RolloutSchema);
        v1.MapGet("/services/{name}/revisions", (string name) =>
            {
                if (!api.Manifest.Services.ContainsKey(name))
                {
                    return UnknownService(name);
                }

                return Results.Json(api.Store.Revisions(name).Select(r => new
                {
                    revision = r.Revision,
                    version = r.Version,
                    current = r.Current,
                    created = r.Created,
                    createdBy = r.CreatedBy,
                    reason = r.Reason,
                    outcome = r.Outcome,
                    finished = r.Finished,
                    durationSeconds = r.Finished is { } f ? Math.Round((f - r.Created).TotalSeconds, 1) : (double?)null,
                }), ApiJson.Options);
            })
            .Role(ApiRole.Viewer)
            .Summary("Revision history, newest first: version, who, why, outcome, duration.")
            .Returns(Schemas.Array(Schemas.Object(
                ("revision", Schemas.String()),
                ("version", Schemas.String()),
                ("current", Schemas.Boolean()),
                ("created", Schemas.DateTime()),
                ("createdBy", Schemas.Nullable(Schemas.String())),
                ("reason", Schemas.Nullable(Schemas.String())),
                ("outcome", Schemas.Nullable(Schemas.String())),
                ("finished", Schemas.Nullable(Schemas.DateTime())),
                ("durationSeconds", Schemas.Nullable(Schemas.Number())))));
    }

    /// <summary>The shape of <see cref="RolloutView"/>.</summary>
    private static JsonObject RolloutSchema => Schemas.Object(
        ("service", Schemas.String()),
        ("revision", Schemas.String()),
        ("version", Schemas.String()),
        ("stableRevision", Schemas.String()),
        ("strategy", Schemas.String()),
        ("phase", Schemas.String()),
        ("step", Schemas.Integer()),
        ("steps", Schemas.Integer()),
        ("paused", Schemas.Boolean()),
        ("weights", Schemas.Map(Schemas.Integer())),
        ("started", Schemas.DateTime()),
        ("consecutiveFailures", Schemas.Integer()),
        ("outcome", Schemas.Nullable(Schemas.String())),
        ("message", Schemas.Nullable(Schemas.String())),
        ("finished", Schemas.Nullable(Schemas.DateTime())),
        ("lastAnalysis", Schemas.Nullable(Schemas.Object(
            ("verdict", Schemas.String()),
            ("summary", Schemas.String()),
            ("canaryRequests", Schemas.Integer()),
            ("stableRequests", Schemas.Integer()),
            ("checks", Schemas.Array(Schemas.Object(("name", Schemas.String()), ("verdict", Schemas.String()), ("detail", Schemas.String()))))))));

    /// <summary>Runs a rollout command, its intent audited first; a refusal becomes 404, 409 or 400.</summary>
    private static async Task<IResult> RolloutCall(ApiContext api, HttpContext context, Func<RolloutController, Task<RolloutStatus>> call)
    {
        if (api.Rollouts is not { } rollouts)
        {
            return Problems.Result(StatusCodes.Status503ServiceUnavailable, "this daemon runs no rollout controller");
        }

        AuditIntent.Write(context, api.Audit);
        try
        {
            return Results.Json(RolloutView(await call(rollouts).ConfigureAwait(false)), ApiJson.Options);
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

    /// <summary>A rollout for the API: the split, where it is, and the last analysis with its figures.</summary>
    private static object RolloutView(RolloutStatus status) => new
    {
        service = status.Service,
        revision = status.Revision,
        version = status.Version,
        stableRevision = status.StableRevision,
        strategy = status.Strategy,
        phase = status.Phase,
        step = status.Step,
        steps = status.Steps,
        paused = status.Paused,
        weights = status.Weights,
        started = status.Started,
        consecutiveFailures = status.ConsecutiveFailures,
        outcome = status.Outcome,
        message = status.Message,
        finished = status.Finished,
        lastAnalysis = status.LastAnalysis is { } a
            ? new
            {
                verdict = a.Verdict,
                summary = a.Summary,
                canaryRequests = a.CanaryRequests,
                stableRequests = a.StableRequests,
                checks = a.Checks.Select(c => new { name = c.Name, verdict = c.Verdict, detail = c.Detail }),
            }
            : null,
    };
}
