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
        ("path", Schemas.String()), ("before", Schemas.Nullable(Schemas.String())), ("after", Schemas.Nullable(Schemas.String())),
        ("masked", Schemas.Boolean()), ("role", ApplyRoleSchema()));

    private static readonly JsonObject ApplyPlanSchema = Schemas.Object(
        ("fingerprint", Schemas.String()),
        ("nothingToDo", Schemas.Boolean()),
        ("role", ApplyRoleSchema()),
        ("actions", Schemas.Array(Schemas.Object(
            ("target", Schemas.String()),
            ("kind", Schemas.Enum(Enum.GetValues<ApplyActionKind>().Select(k => ScalarParsers.EnumName(k)))),
            ("detail", Schemas.String()),
            ("role", ApplyRoleSchema()),
            ("fields", Schemas.Array(FieldChangeSchema))))),
        ("done", Schemas.Array(Schemas.String())));

    private static void MapApply(RouteGroupBuilder v1, ApiContext api)
    {
        v1.MapPost("/apply/plan", async (HttpContext context) =>
            {
                var (request, problem) = await ReadApplyAsync(context, api).ConfigureAwait(false);
                return problem ?? Results.Json(PlanView(api.Applier!.Plan(request!.Manifest), done: null), ApiJson.Options);
            })
            .Role(ApiRole.Deployer)
            .Summary("What applying this manifest would do (like kubectl diff): per service start, stop, deploy, scale, update, or needs a restart, with each changed value (env values, secret-like values and URLs masked) and the role each change needs.")
            .Accepts(ApplyBodySchema)
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
                AuditArguments.Add(context, "manifest.sha256", request.Sha256);
                AuditArguments.Add(context, "changes", Changes(api.Applier!.Plan(request.Manifest)));
                AuditIntent.Write(context, api.Audit);
                var token = ApiPrincipal.Get(context)!;
                try
                {
                    var outcome = await api.Applier!.ApplyAsync(request.Manifest, request.Fingerprint, request.Force, token.Name, $"slipway apply {request.File}",
                        token.Role >= ApiRole.Admin ? ApplyRole.Admin : ApplyRole.Deployer).ConfigureAwait(false);
                    AuditArguments.Add(context, "done", string.Join("; ", outcome.Done));
                    return Results.Json(PlanView(outcome.Plan, outcome.Done), ApiJson.Options);
                }
                catch (RolloutRefusedException e)
                {
                    return e.Kind switch
                    {
                        RefusalKind.Forbidden => Problems.Result(StatusCodes.Status403Forbidden, $"token {token.Name} has role {ApiRoles.Name(token.Role)}; {e.Message}"),
                        RefusalKind.NotFound => Problems.NotFound(e.Message),
                        _ => Problems.Result(StatusCodes.Status409Conflict, e.Message),
                    };
                }
            })
            .Role(ApiRole.Deployer)
            .Summary("Apply a manifest: changed run specs roll out as new revisions with each service's strategy; with fingerprint, only if the plan is still the one shown. A plan with a change only an admin may make is refused (403) for a deployer, naming each. Nothing changes when it is refused.")
            .Accepts(ApplyBodySchema)
            .Returns(ApplyPlanSchema);
    }

    /// <summary>A new node each time: a JSON node has one parent.</summary>
    private static JsonObject ApplyRoleSchema() => Schemas.Enum(Enum.GetValues<ApplyRole>().Select(r => ScalarParsers.EnumName(r)));

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

        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text!)));
        return (new ApplyRequest(loaded.Manifest!, file, JsonBody.String(body, "fingerprint"), force, sha256), null);
    }

    /// <summary>The plan in one line for the audit log, values masked as the plan shows them: <c>api: scale (replicas 2 → 3); cache: start</c>.</summary>
    private static string Changes(ApplyPlan plan) => plan.Actions.Count == 0
        ? "none"
        : string.Join("; ", plan.Actions.Select(a => $"{a.Target}: {ScalarParsers.EnumName(a.Kind)}"
            + (a.Fields.Count == 0 ? "" : $" ({string.Join(", ", a.Fields.Select(SensitiveValues.Mask).Select(f => $"{f.Path} {f.Before ?? "(none)"} → {f.After ?? "(none)"}"))})")));

    /// <summary>The plan as every role sees it: values under env, secret-like values and URLs masked (the fingerprint covers the real ones).</summary>
    private static object PlanView(ApplyPlan plan, IReadOnlyList<string>? done) => new
    {
        fingerprint = plan.Fingerprint,
        nothingToDo = plan.NothingToDo,
        role = ScalarParsers.EnumName(ApplyPrivileges.Of(plan)),
        actions = plan.Actions.Select(a => new
        {
            target = a.Target,
            kind = ScalarParsers.EnumName(a.Kind),
            detail = a.Detail,
            role = ScalarParsers.EnumName(ApplyPrivileges.Of(a)),
            fields = a.Fields.Select(f => (Field: f, Shown: SensitiveValues.Mask(f))).Select(f => new
            {
                path = f.Field.Path,
                before = f.Shown.Before,
                after = f.Shown.After,
                masked = f.Shown != f.Field,
                role = ScalarParsers.EnumName(ApplyPrivileges.Of(a, f.Field)),
            }),
        }),
        done = done ?? [],
    };

    /// <param name="Sha256">Of the manifest's text as sent: what the audit log records, so the very file can be found again.</param>
    private sealed record ApplyRequest(AppManifest Manifest, string File, string? Fingerprint, bool Force, string Sha256);
}
