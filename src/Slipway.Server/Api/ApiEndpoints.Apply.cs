using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Slipway.Control.Apply;
using Slipway.Control.Rollouts;
using Slipway.Core.Manifest;
using Slipway.Core.Manifest.Model;
using Slipway.Server.Api.Contracts;
using Slipway.Server.Auth;

namespace Slipway.Server.Api;

/// <summary><c>slipway apply</c>: the plan for a manifest against what runs, and applying it.</summary>
internal static partial class ApiEndpoints
{
    private static void MapApply(RouteGroupBuilder v1, ApiContext api)
    {
        v1.MapPost("/apply/plan", Results<Ok<ApplyPlanResponse>, ProblemHttpResult> (RequestBody<ApplyRequest> body) =>
            {
                var (loaded, problem) = LoadApply(api, body);
                return problem is not null ? problem : TypedResults.Ok(ApplyPlanResponse.Of(api.Applier!.Plan(loaded!.Manifest), done: null));
            })
            .Role(ApiRole.Deployer)
            .WithBodyLimit(BodyLimit.Large)
            .WithSummary("What applying this manifest would do (like kubectl diff): per service start, stop, deploy, scale, update, or needs a restart, with each changed value (env values, secret-like values and URL credentials masked) and the role each change needs.");
        v1.MapPost("/apply", async Task<Results<Ok<ApplyPlanResponse>, ProblemHttpResult>> (RequestBody<ApplyRequest> body, HttpContext context) =>
            {
                var (loaded, problem) = LoadApply(api, body);
                if (problem is not null)
                {
                    return problem;
                }

                AuditArguments.Add(context, "file", loaded!.File);
                AuditArguments.Add(context, "force", loaded.Request.Force ? "true" : "false");
                AuditArguments.Add(context, "manifest.sha256", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(loaded.Request.Manifest!))));
                AuditArguments.Add(context, "changes", Changes(api.Applier!.Plan(loaded.Manifest)));
                AuditIntent.Write(context, api.Audit);
                var token = ApiPrincipal.Get(context)!;
                try
                {
                    var outcome = await api.Applier!.ApplyAsync(loaded.Manifest, loaded.Request.Fingerprint, loaded.Request.Force, token.Name, $"slipway apply {loaded.File}",
                        token.Role >= ApiRole.Admin ? ApplyRole.Admin : ApplyRole.Deployer).ConfigureAwait(false);
                    AuditArguments.Add(context, "done", string.Join("; ", outcome.Done));
                    return TypedResults.Ok(ApplyPlanResponse.Of(outcome.Plan, outcome.Done));
                }
                catch (RolloutRefusedException e)
                {
                    return e.Kind switch
                    {
                        RefusalKind.Forbidden => Problems.Result(StatusCodes.Status403Forbidden, $"token {token.Name} has role {ApiRoles.Name(token.Role)}; {e.Message}"),
                        RefusalKind.NotFound => Problems.Result(StatusCodes.Status404NotFound, e.Message),
                        _ => Problems.Result(StatusCodes.Status409Conflict, e.Message),
                    };
                }
            })
            .Role(ApiRole.Deployer)
            .WithBodyLimit(BodyLimit.Large)
            .WithSummary("Apply a manifest: changed run specs roll out as new revisions with each service's strategy; with fingerprint, only if the plan is still the one shown. A plan with a change only an admin may make is refused (403) for a deployer, naming each. Nothing changes when it is refused.");
    }

    private static (LoadedApply? Loaded, ProblemHttpResult? Problem) LoadApply(ApiContext api, RequestBody<ApplyRequest> body)
    {
        if (api.Applier is null)
        {
            return (null, Problems.Result(StatusCodes.Status503ServiceUnavailable, "this daemon cannot apply manifests (it runs no rollout controller)"));
        }

        if (body.Unreadable is { } unreadable)
        {
            return (null, unreadable);
        }

        var request = body.Value!;
        var errors = new Dictionary<string, string[]>();
        body.Check(errors, "manifest", !string.IsNullOrWhiteSpace(request.Manifest), "is required: the manifest's YAML text");
        if (body.Invalid(errors) is { } invalid)
        {
            return (null, invalid);
        }

        var file = request.File ?? "manifest.yaml";
        var loaded = ManifestLoader.LoadText(request.Manifest!, file, api.Applier.ManifestDirectory);
        return loaded.IsValid
            ? (new LoadedApply(request, loaded.Manifest!, file), null)
            : (null, Problems.Invalid(new Dictionary<string, string[]> { ["manifest"] = [.. loaded.FormattedErrors] }));
    }

    /// <summary>The plan in one line for the audit log, values masked as the plan shows them: <c>api: scale (replicas 2 → 3); cache: start</c>.</summary>
    private static string Changes(ApplyPlan plan) => plan.Actions.Count == 0
        ? "none"
        : string.Join("; ", plan.Actions.Select(a => $"{a.Target}: {ApiJson.Word(a.Kind)}"
            + (a.Fields.Count == 0 ? "" : $" ({string.Join(", ", a.Fields.Select(SensitiveValues.Mask).Select(f => $"{f.Path} {f.Before ?? "(none)"} → {f.After ?? "(none)"}"))})")));

    private sealed record LoadedApply(ApplyRequest Request, AppManifest Manifest, string File);
}
