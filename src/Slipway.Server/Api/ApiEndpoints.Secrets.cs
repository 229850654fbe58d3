using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Slipway.Core.Manifest.Model;
using Slipway.Server.Api.OpenApi;
using Slipway.Server.Auth;

namespace Slipway.Server.Api;

/// <summary>Secrets: names on read; values go in (PUT body) and never come out.</summary>
internal static partial class ApiEndpoints
{
    private static void MapSecrets(RouteGroupBuilder v1, ApiContext api)
    {
        v1.MapGet("/secrets", () => Results.Json(api.Secrets.List().Select(s => new
            {
                name = s.Name,
                updated = s.Updated,
                usedBy = UsersOf(api, s.Name),
            }), ApiJson.Options))
            .Role(ApiRole.Admin)
            .Summary("Secret names, when each was set and which services use it. Never values.")
            .Returns(Schemas.Array(Schemas.Object(("name", Schemas.String()), ("updated", Schemas.DateTime()), ("usedBy", Schemas.Array(Schemas.String())))));

        v1.MapPut("/secrets/{name}", async (string name, bool? restart, HttpContext context) =>
            {
                var (body, problem) = await JsonBody.ReadObjectAsync(context).ConfigureAwait(false);
                if (problem is not null)
                {
                    return problem;
                }

                var errors = new Dictionary<string, string[]>();
                if (!EnvironmentNames.IsValid(name))
                {
                    errors["name"] = ["must be usable as an environment variable name (letters, digits and '_', not starting with a digit)"];
                }

                var value = JsonBody.String(body, "value");
                AuditArguments.Add(context, "value", AuditArguments.Redacted);
                if (value is null)
                {
                    errors["value"] = ["is required and must be a string"];
                }
                else if (value.Length == 0)
                {
                    errors["value"] = ["must not be empty"];
                }
                else if (System.Text.Encoding.UTF8.GetByteCount(value) is var bytes && bytes > Control.Secrets.SecretStore.MaxValueBytes)
                {
                    errors["value"] = [$"must be at most {Control.Secrets.SecretStore.MaxValueBytes / 1024} KiB (got {bytes} bytes): it becomes an environment variable, and Linux limits those"];
                }

                if (errors.Count > 0)
                {
                    return Problems.Invalid(errors);
                }

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

                return Results.Json(new { name, usedBy = users, restarted }, ApiJson.Options);
            })
            .Role(ApiRole.Admin)
            .Summary("Set a secret; restart=true then rolling-restarts the services that use it.")
            .Query("restart", Schemas.Boolean(), "Rolling-restart the services that use the secret.")
            .Accepts(Schemas.Object(("value", Schemas.String())))
            .WithBodyLimit(BodyLimit.Large)
            .Returns(Schemas.Object(("name", Schemas.String()), ("usedBy", Schemas.Array(Schemas.String())), ("restarted", Schemas.Array(Schemas.String()))));

        v1.MapDelete("/secrets/{name}", (string name) => api.Secrets.Remove(name)
                ? Results.NoContent()
                : Problems.NotFound($"there is no secret named {name}"))
            .Role(ApiRole.Admin)
            .Summary("Delete a secret.")
            .ReturnsNothing();
    }

    private static List<string> UsersOf(ApiContext api, string secret) =>
        [.. api.Manifest.Services.Where(s => s.Value.Run?.Secrets.Contains(secret) == true).Select(s => s.Key).Order(StringComparer.Ordinal)];
}
