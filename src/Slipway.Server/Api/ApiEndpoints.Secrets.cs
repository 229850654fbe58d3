using System.ComponentModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Slipway.Core.Manifest.Model;
using Slipway.Server.Api.Contracts;
using Slipway.Server.Auth;

namespace Slipway.Server.Api;

/// <summary>Secrets: names on read; values go in (PUT body) and never come out.</summary>
internal static partial class ApiEndpoints
{
    private static void MapSecrets(RouteGroupBuilder v1, ApiContext api)
    {
        v1.MapGet("/secrets", () => TypedResults.Ok<IReadOnlyList<SecretResponse>>([.. api.Secrets.List().Select(s => new SecretResponse(s.Name, s.Updated, UsersOf(api, s.Name)))]))
            .Role(ApiRole.Admin)
            .WithSummary("Secret names, when each was set and which services use it. Never values.");

        v1.MapPut("/secrets/{name}", async Task<Results<Ok<SecretSetResponse>, ProblemHttpResult>> (
                string name, [Description("Rolling-restart the services that use the secret.")] bool? restart, RequestBody<SecretSetRequest> body, HttpContext context) =>
            {
                if (body.Unreadable is { } unreadable)
                {
                    return unreadable;
                }

                var value = body.Value!.Value;
                var errors = new Dictionary<string, string[]>();
                if (!EnvironmentNames.IsValid(name))
                {
                    errors["name"] = ["must be usable as an environment variable name (letters, digits and '_', not starting with a digit)"];
                }

                AuditArguments.Add(context, "value", AuditArguments.Redacted);
                body.Check(errors, "value", !string.IsNullOrEmpty(value), value is null ? "is required and must be a string" : "must not be empty");
                if (value is not null && System.Text.Encoding.UTF8.GetByteCount(value) is var bytes && bytes > Control.Secrets.SecretStore.MaxValueBytes)
                {
                    errors["value"] = [$"must be at most {Control.Secrets.SecretStore.MaxValueBytes / 1024} KiB (got {bytes} bytes): it becomes an environment variable, and Linux limits those"];
                }

                if (body.Invalid(errors) is { } invalid)
                {
                    return invalid;
                }

                AuditIntent.Write(context, api.Audit);
                api.Secrets.Set(name, value!);
                var users = UsersOf(api, name);
                var restarted = new List<string>();
                if (restart == true)
                {
                    foreach (var service in users.Where(api.Supervisor.Runs))
                    {
                        await api.Supervisor.RestartAsync(service).ConfigureAwait(false);
                        restarted.Add(service);
                    }
                }

                return TypedResults.Ok(new SecretSetResponse(name, users, restarted));
            })
            .Role(ApiRole.Admin)
            .WithBodyLimit(BodyLimit.Large)
            .WithSummary("Set a secret; restart=true then rolling-restarts the services that use it.");

        v1.MapDelete("/secrets/{name}", Results<NoContent, ProblemHttpResult> (string name, HttpContext context) =>
            {
                AuditIntent.Write(context, api.Audit);
                return api.Secrets.Remove(name) ? TypedResults.NoContent() : Problems.NotFound($"there is no secret named {name}");
            })
            .Role(ApiRole.Admin)
            .WithSummary("Delete a secret.");
    }

    private static List<string> UsersOf(ApiContext api, string secret) =>
        [.. api.Manifest.Services.Where(s => s.Value.Run?.Secrets.Contains(secret) == true).Select(s => s.Key).Order(StringComparer.Ordinal)];
}
