using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using System.Text.Json.Nodes;
using Slipway.Control.Supervision;
using Slipway.Core.Manifest.Model;
using Slipway.Server.Api.OpenApi;
using Slipway.Server.Auth;

namespace Slipway.Server.Api;

/// <summary>Services and instances: read, scale, restart.</summary>
internal static partial class ApiEndpoints
{
    private const int MaxReplicas = 1000;

    private static void MapServices(RouteGroupBuilder v1, ApiContext api)
    {
        v1.MapGet("/services", () => Results.Json(api.Manifest.Services.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => Describe(api, s.Key, s.Value, detailed: false)), ApiJson.Options))
            .Role(ApiRole.Viewer)
            .Summary("Every service: revision, replicas, ready instances, health.")
            .Returns(Schemas.Array(ServiceSchema(detailed: false)));
        v1.MapGet("/services/{name}", (string name) => api.Manifest.Services.TryGetValue(name, out var spec)
                ? Results.Json(Describe(api, name, spec, detailed: true), ApiJson.Options)
                : UnknownService(name))
            .Role(ApiRole.Viewer)
            .Summary("One service with its revisions, instances and health.")
            .Returns(ServiceSchema(detailed: true));
        v1.MapGet("/instances", () => Results.Json(api.Supervisor.Instances(), ApiJson.Options))
            .Role(ApiRole.Viewer)
            .Summary("Every instance: phase, readiness, pid, port, restarts, CPU, memory.")
            .Returns(Schemas.Array(Schemas.Of<InstanceStatus>()));
        v1.MapPost("/services/{name}/scale", async (string name, HttpContext context) =>
            {
                if (!api.Manifest.Services.ContainsKey(name))
                {
                    return UnknownService(name);
                }

                var (body, problem) = await JsonBody.ReadObjectAsync(context).ConfigureAwait(false);
                if (problem is not null)
                {
                    return problem;
                }

                var errors = new Dictionary<string, string[]>();
                var replicas = 0;
                if (!body.TryGetProperty("replicas", out var value))
                {
                    errors["replicas"] = ["is required"];
                }
                else if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out replicas) || replicas is < 0 or > MaxReplicas)
                {
                    errors["replicas"] = [$"must be a whole number between 0 and {MaxReplicas} (got {value.GetRawText()})"];
                }

                if (!api.Supervisor.Runs(name))
                {
                    errors["name"] = [$"{name} is an upstream service; Slipway does not run its instances"];
                }

                if (errors.Count > 0)
                {
                    return Problems.Invalid(errors);
                }

                AuditArguments.Add(context, "replicas", replicas.ToString(System.Globalization.CultureInfo.InvariantCulture));
                AuditIntent.Write(context, api.Audit);
                var before = await api.Supervisor.ScaleAsync(name, replicas).ConfigureAwait(false);
                return Results.Json(new { service = name, before, replicas }, ApiJson.Options);
            })
            .Role(ApiRole.Deployer)
            .Summary("Set the number of replicas.")
            .Accepts(Schemas.Object(("replicas", Schemas.Integer())))
            .Returns(Schemas.Object(("service", Schemas.String()), ("before", Schemas.Integer()), ("replicas", Schemas.Integer())));
        v1.MapPost("/services/{name}/restart", async (string name, HttpContext context) =>
            {
                if (!api.Manifest.Services.ContainsKey(name))
                {
                    return UnknownService(name);
                }

                if (!api.Supervisor.Runs(name))
                {
                    return Problems.Invalid(new Dictionary<string, string[]> { ["name"] = [$"{name} is an upstream service; Slipway does not run its instances"] });
                }

                AuditIntent.Write(context, api.Audit);
                var notReady = await api.Supervisor.RestartAsync(name).ConfigureAwait(false);
                return Results.Json(new { service = name, notReady }, ApiJson.Options);
            })
            .Role(ApiRole.Deployer)
            .Summary("Replace the service's instances one at a time; answers when done.")
            .Returns(Schemas.Object(("service", Schemas.String()), ("notReady", Schemas.Array(Schemas.String()))));
    }

    private static JsonObject ServiceSchema(bool detailed)
    {
        (string, JsonObject)[] summary =
        [
            ("name", Schemas.String()),
            ("kind", Schemas.Enum(["run", "upstream"])),
            ("revision", Schemas.Nullable(Schemas.String())),
            ("version", Schemas.Nullable(Schemas.String())),
            ("replicas", Schemas.Integer()),
            ("ready", Schemas.Integer()),
            ("health", Schemas.Enum(["upstream", "scaled-to-zero", "healthy", "down", "degraded"])),
            ("secrets", Schemas.Array(Schemas.String())),
            ("rollout", Schemas.Nullable(RolloutSchema)),
        ];
        return detailed
            ? Schemas.Object([.. summary,
                ("revisions", Schemas.Array(Schemas.Of<RevisionState>())),
                ("instances", Schemas.Array(Schemas.Of<InstanceStatus>())),
                ("missingSecrets", Schemas.Array(Schemas.String()))])
            : Schemas.Object(summary);
    }

    /// <param name="spec">From the same snapshot of the running manifest as the caller's list (an apply may swap it meanwhile).</param>
    private static object Describe(ApiContext api, string name, ServiceSpec spec, bool detailed)
    {
        var instances = api.Supervisor.Instances().Where(i => i.Service == name).ToList();
        var ready = instances.Count(i => i.Ready);
        var health = spec.Run is null ? "upstream"
            : instances.Count == 0 ? "scaled-to-zero"
            : ready == instances.Count ? "healthy"
            : ready == 0 ? "down"
            : "degraded";
        var revision = api.Store.CurrentRevision(name);
        var summary = new Dictionary<string, object?>
        {
            ["name"] = name,
            ["kind"] = spec.Run is null ? "upstream" : "run",
            ["revision"] = revision?.Revision,
            ["version"] = revision?.Version,
            ["replicas"] = instances.Count,
            ["ready"] = ready,
            ["health"] = health,
            ["secrets"] = spec.Run?.Secrets ?? [],
            ["rollout"] = api.Rollouts?.Status(name) is { } rollout ? RolloutView(rollout) : null,
        };
        if (detailed)
        {
            summary["revisions"] = spec.Run is null ? [] : api.Supervisor.Revisions(name);
            summary["instances"] = instances;
            summary["missingSecrets"] = (spec.Run?.Secrets ?? []).Where(s => !api.Secrets.Contains(s)).ToList();
        }

        return summary;
    }
}
