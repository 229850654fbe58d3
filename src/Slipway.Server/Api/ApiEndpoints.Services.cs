using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Slipway.Control.Supervision;
using Slipway.Core.Manifest.Model;
using Slipway.Server.Api.Contracts;
using Slipway.Server.Auth;

namespace Slipway.Server.Api;

/// <summary>Services and instances: read, scale, restart.</summary>
internal static partial class ApiEndpoints
{
    private const int MaxReplicas = 1000;

    private static void MapServices(RouteGroupBuilder v1, ApiContext api)
    {
        v1.MapGet("/services", () => TypedResults.Ok<IReadOnlyList<ServiceResponse>>(
                [.. api.Manifest.Services.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => Describe(api, s.Key, s.Value, InstancesOf(api, s.Key)))]))
            .Role(ApiRole.Viewer)
            .WithSummary("Every service: revision, replicas, ready instances, health.");
        v1.MapGet("/services/{name}", Results<Ok<ServiceDetailResponse>, ProblemHttpResult> (string name) =>
            {
                if (!api.Manifest.Services.TryGetValue(name, out var spec))
                {
                    return UnknownService(name);
                }

                var instances = InstancesOf(api, name);
                return TypedResults.Ok(new ServiceDetailResponse(
                    Describe(api, name, spec, instances),
                    spec.Run is null ? [] : api.Supervisor.Revisions(name),
                    instances,
                    [.. (spec.Run?.Secrets ?? []).Where(s => !api.Secrets.Contains(s))]));
            })
            .Role(ApiRole.Viewer)
            .WithSummary("One service with its revisions, instances and health.");
        v1.MapGet("/instances", () => TypedResults.Ok(api.Supervisor.Instances()))
            .Role(ApiRole.Viewer)
            .WithSummary("Every instance: phase, readiness, pid, port, restarts, CPU, memory.");
        v1.MapPost("/services/{name}/scale", async Task<Results<Ok<ScaleResponse>, ProblemHttpResult>> (string name, RequestBody<ScaleRequest> body, HttpContext context) =>
            {
                if (!api.Manifest.Services.ContainsKey(name))
                {
                    return UnknownService(name);
                }

                if (body.Unreadable is { } unreadable)
                {
                    return unreadable;
                }

                var replicas = body.Value!.Replicas;
                var errors = new Dictionary<string, string[]>();
                var got = replicas?.ToString(CultureInfo.InvariantCulture) ?? body.WrongType("replicas");
                body.Check(errors, "replicas", replicas is >= 0 and <= MaxReplicas,
                    got is null ? "is required" : $"must be a whole number between 0 and {MaxReplicas} (got {got})");
                if (!api.Supervisor.Runs(name))
                {
                    errors["name"] = [$"{name} is an upstream service; Slipway does not run its instances"];
                }
                else if (replicas > 1 && api.Manifest.Services[name].Stateful)
                {
                    errors["replicas"] = [$"{name} is stateful: it runs one instance at most, since one instance owns its data (0 stops it)"];
                }

                if (body.Invalid(errors) is { } invalid)
                {
                    return invalid;
                }

                if (api.Manifest.Services[name].Autoscale is { } autoscale)
                {
                    // The autoscaler would undo a count set by hand at its next look, as an HPA undoes `kubectl scale`.
                    return Problems.Result(StatusCodes.Status409Conflict,
                        $"{name} is autoscaled between autoscale.min {autoscale.Min} and autoscale.max {autoscale.Max}: change those bounds in the manifest and `slipway apply` it, or remove `autoscale` to set replicas by hand");
                }

                AuditArguments.Add(context, "replicas", replicas!.Value.ToString(CultureInfo.InvariantCulture));
                AuditIntent.Write(context, api.Audit);
                var before = await api.Supervisor.ScaleAsync(name, replicas.Value).ConfigureAwait(false);
                return TypedResults.Ok(new ScaleResponse(name, before, replicas.Value));
            })
            .Role(ApiRole.Deployer)
            .WithSummary("Set the number of replicas.");
        v1.MapPost("/services/{name}/restart", async Task<Results<Ok<RestartResponse>, ProblemHttpResult>> (string name, HttpContext context) =>
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
                return TypedResults.Ok(new RestartResponse(name, notReady));
            })
            .Role(ApiRole.Deployer)
            .WithSummary("Replace the service's instances one at a time; answers when done.");
    }

    /// <param name="spec">From the same snapshot of the running manifest as the caller's list (an apply may swap it meanwhile).</param>
    /// <param name="instances">The service's instances, one snapshot for the summary and the detail.</param>
    private static ServiceResponse Describe(ApiContext api, string name, ServiceSpec spec, IReadOnlyList<InstanceStatus> instances)
    {
        var ready = instances.Count(i => i.Ready);
        var revision = api.Store.CurrentRevision(name);
        return new ServiceResponse
        {
            Name = name,
            Kind = spec.Run is null ? ServiceKind.Upstream : spec.Stateful ? ServiceKind.Stateful : ServiceKind.Run,
            Revision = revision?.Revision,
            Version = revision?.Version,
            Replicas = instances.Count,
            Ready = ready,
            Health = spec.Run is null ? ServiceHealth.Upstream
                : instances.Count == 0 ? ServiceHealth.ScaledToZero
                : ready == instances.Count ? ServiceHealth.Healthy
                : ready == 0 ? ServiceHealth.Down
                : ServiceHealth.Degraded,
            Secrets = spec.Run?.Secrets ?? [],
            Rollout = api.Rollouts?.Status(name) is { } rollout ? RolloutResponse.Of(rollout) : null,
            Address = api.Supervisor.StatefulPortOf(name) is { } port ? $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}" : null,
            DependsOn = spec.DependsOn,
            Autoscale = spec.Autoscale is null ? null : api.Autoscaler?.Status(name),
        };
    }

    private static List<InstanceStatus> InstancesOf(ApiContext api, string name) => [.. api.Supervisor.Instances().Where(i => i.Service == name)];
}
