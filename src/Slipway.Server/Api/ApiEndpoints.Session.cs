using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Slipway.Server.Api.Contracts;
using Slipway.Server.Auth;

namespace Slipway.Server.Api;

/// <summary>Dashboard sessions: a token exchanged for a session cookie, who is signed in, sign-out.</summary>
internal static partial class ApiEndpoints
{
    private const string NoSession = "this call carries no dashboard session (a bearer token needs none)";

    public static void MapSession(IEndpointRouteBuilder app, ApiContext api, SessionStore sessions, AuthFailureLimiter limiter)
    {
        var v1 = app.MapGroup("/api/v1");
        v1.MapPost("/session", Results<Created<SessionResponse>, ProblemHttpResult> (RequestBody<SessionRequest> body, HttpContext context) =>
            {
                if (body.Unreadable is { } unreadable)
                {
                    return unreadable;
                }

                var errors = new Dictionary<string, string[]>();
                body.Check(errors, "token", !string.IsNullOrWhiteSpace(body.Value!.Token), "is required: an API token such as the one in admin.token");
                if (body.Invalid(errors) is { } invalid)
                {
                    return invalid;
                }

                // As for bearer tokens: a valid token always signs in; only failures are slowed.
                if (api.Tokens.Authenticate(body.Value.Token!.Trim()) is not { } token)
                {
                    var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                    if (limiter.RetryAfter(address) is { } wait)
                    {
                        var seconds = (int)Math.Ceiling(wait.TotalSeconds);
                        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                        return Problems.Result(StatusCodes.Status429TooManyRequests, $"too many failed sign-ins from {address}; try again in {seconds}s");
                    }

                    limiter.Failed(address);
                    return Problems.Result(StatusCodes.Status401Unauthorized, "that token is not valid (unknown or revoked)");
                }

                ApiPrincipal.Set(context, token);
                var (id, session) = sessions.Open(token);
                SessionCookie.Write(context, id, session);
                return TypedResults.Created((string?)null, SessionResponse.Of(session, token));
            })
            .WithMetadata(new AllowAnonymousAttribute())
            .WithSummary("Sign in to the dashboard: the token is exchanged for an HttpOnly, SameSite=Strict session cookie.");
        v1.MapGet("/session", Results<Ok<SessionResponse>, ProblemHttpResult> (HttpContext context) =>
                ApiPrincipal.GetSession(context) is { } session && ApiPrincipal.Get(context) is { } token
                    ? TypedResults.Ok(SessionResponse.Of(session, token))
                    : Problems.NotFound(NoSession))
            .Role(ApiRole.Viewer)
            .WithSummary("The signed-in session: who, which role, when it ends, and the CSRF token for changes.");
        v1.MapDelete("/session", Results<NoContent, ProblemHttpResult> (HttpContext context) =>
            {
                if (ApiPrincipal.GetSession(context) is not { } session)
                {
                    return Problems.NotFound(NoSession);
                }

                sessions.End(session);
                SessionCookie.Clear(context);
                return TypedResults.NoContent();
            })
            .Role(ApiRole.Viewer)
            .WithSummary("Sign out: the session ends at once and its cookie is cleared.");
    }
}
