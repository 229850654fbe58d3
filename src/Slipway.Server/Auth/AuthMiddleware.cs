using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Slipway.Server.Api;

namespace Slipway.Server.Auth;

/// <summary>
/// Bearer tokens, or a dashboard session cookie standing for the token it was opened with, on everything but
/// <c>/healthz</c> and the endpoints marked anonymous (the dashboard's files, sign-in): 401 without a valid token or
/// session (429 instead while the address is slowed down for failing too often; a valid token or session is always
/// admitted), 403 when the role is below the endpoint's <see cref="RequireRole"/> or a session's call fails the
/// <see cref="Csrf"/> checks. Runs after routing.
/// </summary>
internal sealed partial class AuthMiddleware
{
    private readonly RequestDelegate _next;
    private readonly TokenStore _tokens;
    private readonly SessionStore _sessions;
    private readonly AuthFailureLimiter _limiter;
    private readonly ILogger _logger;

    public AuthMiddleware(RequestDelegate next, TokenStore tokens, SessionStore sessions, AuthFailureLimiter limiter, ILogger logger)
    {
        _next = next;
        _tokens = tokens;
        _sessions = sessions;
        _limiter = limiter;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path == "/healthz")
        {
            await _next(context).ConfigureAwait(false);
            return;
        }

        // Sign-in consults the failure limiter itself; the dashboard's files load even for a slowed-down address.
        if (context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            await AnonymousAsync(context).ConfigureAwait(false);
            return;
        }

        // The token is checked before the slow-down: a valid token is always admitted (the admin, the CLI and
        // Prometheus on 127.0.0.1 must not be locked out by someone else's guesses from the same address);
        // only failures are slowed.
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var header = context.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        var presented = header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : null;
        if (string.IsNullOrEmpty(presented) && SessionCookie.Read(context) is { } cookie)
        {
            await SessionAsync(context, cookie, address).ConfigureAwait(false);
            return;
        }

        if (string.IsNullOrEmpty(presented))
        {
            // Nothing presented guesses nothing: neither counted nor slowed, so the dashboard's first look at its
            // session (before any sign-in) always gets the 401 that shows the sign-in form.
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await Problems.WriteAsync(context, StatusCodes.Status401Unauthorized,
                "this API needs a bearer token: Authorization: Bearer <token> (see `slipway token`)").ConfigureAwait(false);
            return;
        }

        var token = _tokens.Authenticate(presented);
        if (token is null)
        {
            if (await SlowedDownAsync(context, address).ConfigureAwait(false))
            {
                return;
            }

            _limiter.Failed(address);
            ApiLog.AuthenticationFailed(_logger, address, "unknown token");
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await Problems.WriteAsync(context, StatusCodes.Status401Unauthorized, "the bearer token is not valid (unknown or revoked)").ConfigureAwait(false);
            return;
        }

        await AuthorizedAsync(context, token).ConfigureAwait(false);
    }

    /// <summary>A failed attempt from an address that failed too often gets 429 instead of 401 (and does not count again).</summary>
    /// <returns>True when it was answered.</returns>
    private async Task<bool> SlowedDownAsync(HttpContext context, string address)
    {
        if (_limiter.RetryAfter(address) is not { } wait)
        {
            return false;
        }

        var seconds = (int)Math.Ceiling(wait.TotalSeconds);
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Problems.WriteAsync(context, StatusCodes.Status429TooManyRequests,
            $"too many failed authentications from {address}; try again in {seconds}s").ConfigureAwait(false);
        return true;
    }

    /// <summary>The caller is <paramref name="token"/>: checks the endpoint's role, then runs it.</summary>
    private async Task AuthorizedAsync(HttpContext context, TokenRecord token)
    {
        ApiPrincipal.Set(context, token);
        var required = context.GetEndpoint()?.Metadata.GetMetadata<RequireRole>()?.Role ?? ApiRole.Admin;
        if (context.GetEndpoint() is not null && token.Role < required)
        {
            await Problems.WriteAsync(context, StatusCodes.Status403Forbidden,
                $"token {token.Name} has role {ApiRoles.Name(token.Role)}; {context.Request.Method} {context.Request.Path} needs {ApiRoles.Name(required)}").ConfigureAwait(false);
            return;
        }

        await _next(context).ConfigureAwait(false);
        if (context.GetEndpoint() is null && !context.Response.HasStarted && context.Response.StatusCode == StatusCodes.Status404NotFound)
        {
            await Problems.WriteAsync(context, StatusCodes.Status404NotFound, $"there is no {context.Request.Path} in this API (see /api/v1/openapi.json)").ConfigureAwait(false);
        }
    }
}
