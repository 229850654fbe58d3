using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Slipway.Control.Apply;
using Slipway.Control.Rollouts;
using Slipway.Core.Manifest;
using Slipway.Core.Manifest.Binding;
using Slipway.Core.Manifest.Model;
using Slipway.Server.Api.OpenApi;
using Slipway.Server.Auth;

namespace Slipway.Server.Api;

/// <summary><c>slipway apply</c>: the plan for a manifest against what runs, and applying it.</summary>
internal static partial class ApiEndpoints
{
    private static readonly JsonObject ApplyBodySchema = Schemas.Object(
        ("manifest", Schemas.String()), ("file", Schemas.String()), ("fingerprint", Schemas.String()), ("force", Schemas.Boolean()));

    private static readonly JsonObject FieldChangeSchema = Schemas.Object(
        ("path", Schemas.String()), ("before", Schemas.Nullable(Schemas.String())), ("after", Schemas.Nullable(Schemas.String())));

    private static readonly JsonObject ApplyPlanSchema = Schemas.Object(
        ("fingerprint", Schemas.String()),
        ("nothingToDo", Schemas.Boolean()),
        ("actions", Schemas.Array(Schemas.Object(
            ("target", Schemas.String()),
            ("kind", Schemas.Enum(Enum.GetValues<ApplyActionKind>().Select(k => ScalarParsers.EnumName(k)))),
            ("detail", Schemas.String()),
            ("fields", Schemas.Array(FieldChangeSchema))))),
        ("done", Schemas.Array(Schemas.String())));

    private static void MapApply(RouteGroupBuilder v1, ApiContext api)
    {
        v1.MapPost("/apply/plan", async (HttpContext context) =>
            {
                var (request, problem) = await ReadApplyAsync(context, api).ConfigureAwait(false);
                return problem ?? Results.Json(PlanView(api.Applier!.Plan(request!.Manifest), done: null), ApiJson.Options);
            })
            .Role(ApiRole.Viewer)
            .Summary("What applying this manifest would do (like kubectl diff): per service start, stop, deploy, scale, update, or needs a restart, with each changed value.")
            .Accepts(ApplyBodySchema)
            .WithBodyLimit(BodyLimit.Large)
            .Returns(ApplyPlanSchema);
        v1.MapPost("/apply", async (HttpContext context) =>
            {
                var (request, problem) = await ReadApplyAsync(context, api).ConfigureAwait(false);
                if (problem is not null)
                {
                    return problem;
                }

                AuditArguments.Add(context, "file", request!.File);
                AuditArguments.Add(context, "force", request.Force ? "true" : "false");
                try
                {
                    var outcome = await api.Applier!.ApplyAsync(request.Manifest, request.Fingerprint, request.Force, Caller(context), $"slipway apply {request.File}").ConfigureAwait(false);
                    return Results.Json(PlanView(outcome.Plan, outcome.Done), ApiJson.Options);
                }
                catch (RolloutRefusedException e)
                {
                    return Problems.Result(e.Kind == RefusalKind.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status409Conflict, e.Message);
                }
            })
            .Role(ApiRole.Deployer)
            .Summary("Apply a manifest: changed run specs roll out as new revisions with each service's strategy; with fingerprint, only if the plan is still the one shown. Nothing changes when it is refused.")
            .Accepts(ApplyBodySchema)
            .WithBodyLimit(BodyLimit.Large)
            .Returns(ApplyPlanSchema);
    }

    private static async Task<(ApplyRequest? Request, IResult? Problem)> ReadApplyAsync(HttpContext context, ApiContext api)
    {
        if (api.Applier is null)
        {
            return (null, Problems.Result(StatusCodes.Status503ServiceUnavailable, "this daemon cannot apply manifests (it runs no rollout controller)"));
        }

        var (body, problem) = await JsonBody.ReadObjectAsync(context).ConfigureAwait(false);
        if (problem is not null)
        {
            return (null, problem);
        }

        var errors = new Dictionary<string, string[]>();
        var text = JsonBody.String(body, "manifest");
        if (string.IsNullOrWhiteSpace(text))
        {
            errors["manifest"] = ["is required: the manifest's YAML text"];
        }

        var file = JsonBody.String(body, "file") ?? "manifest.yaml";
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

        if (errors.Count > 0)
        {
            return (null, Problems.Invalid(errors));
        }

        var loaded = ManifestLoader.LoadText(text!, file, api.Applier.ManifestDirectory);
        if (!loaded.IsValid)
        {
            return (null, Problems.Invalid(new Dictionary<string, string[]> { ["manifest"] = [.. loaded.FormattedErrors] }));
        }

        return (new ApplyRequest(loaded.Manifest!, file, JsonBody.String(body, "fingerprint"), force), null);
    }

    private static object PlanView(ApplyPlan plan, IReadOnlyList<string>? done) => new
    {
        fingerprint = plan.Fingerprint,
        nothingToDo = plan.NothingToDo,
        actions = plan.Actions.Select(a => new
        {
            target = a.Target,
            kind = ScalarParsers.EnumName(a.Kind),
            detail = a.Detail,
            fields = a.Fields.Select(f => new { path = f.Path, before = f.Before, after = f.After }),
        }),
        done = done ?? [],
    };

    private sealed record ApplyRequest(AppManifest Manifest, string File, string? Fingerprint, bool Force);
}
