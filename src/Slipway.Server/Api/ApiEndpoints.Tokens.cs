using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Slipway.Server.Api.Contracts;
using Slipway.Server.Auth;

namespace Slipway.Server.Api;

/// <summary>Tokens: issue (the token is in the answer, once), list (never the token), revoke.</summary>
internal static partial class ApiEndpoints
{
    private static void MapTokens(RouteGroupBuilder v1, ApiContext api)
    {
        v1.MapGet("/tokens", () => TypedResults.Ok<IReadOnlyList<TokenResponse>>([.. api.Tokens.List().Select(t => new TokenResponse(t.Name, t.Role, t.Created))]))
            .Role(ApiRole.Admin)
            .WithSummary("Token names, roles and creation times. Never tokens.");

        v1.MapPost("/tokens", Results<Created<TokenCreatedResponse>, ProblemHttpResult> (RequestBody<TokenCreateRequest> body, HttpContext context) =>
            {
                if (body.Unreadable is { } unreadable)
                {
                    return unreadable;
                }

                var (name, roleText) = body.Value!;
                var errors = new Dictionary<string, string[]>();
                body.Check(errors, "name", name is not null && TokenStore.IsValidName(name),
                    "is required: lower-case letters, digits, '.', '_' or '-', at most 63 characters");
                body.Check(errors, "role", ApiRoles.TryParse(roleText, out var role),
                    $"must be one of {string.Join(", ", ApiRoles.Names)} (got {(roleText is null ? "nothing" : $"\"{roleText}\"")})");
                if (body.Invalid(errors) is { } invalid)
                {
                    return invalid;
                }

                AuditArguments.Add(context, "name", name!);
                AuditArguments.Add(context, "role", ApiRoles.Name(role));
                AuditIntent.Write(context, api.Audit);
                try
                {
                    var token = api.Tokens.Create(name!, role);
                    return TypedResults.Created((string?)null, new TokenCreatedResponse(name!, role, token));
                }
                catch (InvalidOperationException e)
                {
                    return Problems.Result(StatusCodes.Status409Conflict, e.Message);
                }
            })
            .Role(ApiRole.Admin)
            .WithSummary("Issue a token; the answer holds it, once.");

        v1.MapDelete("/tokens/{name}", Results<NoContent, ProblemHttpResult> (string name, HttpContext context) =>
            {
                AuditIntent.Write(context, api.Audit);
                if (!api.Tokens.Revoke(name))
                {
                    return Problems.NotFound($"there is no token named {name}");
                }

                api.Streams.Revoke(name);
                return TypedResults.NoContent();
            })
            .Role(ApiRole.Admin)
            .WithSummary("Revoke a token: it stops working at once, and its open streams end.");
    }
}
