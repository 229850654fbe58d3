using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Slipway.Server.Api.OpenApi;
using Slipway.Server.Auth;

namespace Slipway.Server.Api;

/// <summary>Tokens: issue (the token is in the answer, once), list (never the token), revoke.</summary>
internal static partial class ApiEndpoints
{
    private static void MapTokens(RouteGroupBuilder v1, ApiContext api)
    {
        v1.MapGet("/tokens", () => Results.Json(api.Tokens.List().Select(t => new { name = t.Name, role = ApiRoles.Name(t.Role), created = t.Created }), ApiJson.Options))
            .Role(ApiRole.Admin)
            .Summary("Token names, roles and creation times. Never tokens.")
            .Returns(Schemas.Array(Schemas.Object(("name", Schemas.String()), ("role", Schemas.Enum(ApiRoles.Names)), ("created", Schemas.DateTime()))));

        v1.MapPost("/tokens", async (HttpContext context) =>
            {
                var (body, problem) = await JsonBody.ReadObjectAsync(context).ConfigureAwait(false);
                if (problem is not null)
                {
                    return problem;
                }

                var errors = new Dictionary<string, string[]>();
                var name = JsonBody.String(body, "name");
                var roleText = JsonBody.String(body, "role");
                if (name is null || !TokenStore.IsValidName(name))
                {
                    errors["name"] = ["is required: lower-case letters, digits, '.', '_' or '-', at most 63 characters"];
                }

                if (!ApiRoles.TryParse(roleText, out var role))
                {
                    errors["role"] = [$"must be one of {string.Join(", ", ApiRoles.Names)} (got {(roleText is null ? "nothing" : $"\"{roleText}\"")})"];
                }

                if (errors.Count > 0)
                {
                    return Problems.Invalid(errors);
                }

                AuditArguments.Add(context, "name", name!);
                AuditArguments.Add(context, "role", ApiRoles.Name(role));
                AuditIntent.Write(context, api.Audit);
                try
                {
                    var token = api.Tokens.Create(name!, role);
                    return Results.Json(new { name, role = ApiRoles.Name(role), token }, ApiJson.Options, statusCode: StatusCodes.Status201Created);
                }
                catch (InvalidOperationException e)
                {
                    return Problems.Result(StatusCodes.Status409Conflict, e.Message);
                }
            })
            .Role(ApiRole.Admin)
            .Summary("Issue a token; the answer holds it, once.")
            .Accepts(Schemas.Object(("name", Schemas.String()), ("role", Schemas.Enum(ApiRoles.Names))))
            .Returns(Schemas.Object(("name", Schemas.String()), ("role", Schemas.Enum(ApiRoles.Names)), ("token", Schemas.String())), StatusCodes.Status201Created, "Created");

        v1.MapDelete("/tokens/{name}", (string name, HttpContext context) =>
            {
                AuditIntent.Write(context, api.Audit);
                if (!api.Tokens.Revoke(name))
                {
                    return Problems.NotFound($"there is no token named {name}");
                }

                api.Streams.Revoke(name);
                return Results.NoContent();
            })
            .Role(ApiRole.Admin)
            .Summary("Revoke a token: it stops working at once, and its open streams end.")
            .ReturnsNothing();
    }
}
