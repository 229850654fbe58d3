using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Slipway.Server.Api;

namespace Slipway.Server.Auth;

/// <summary>
/// Bearer tokens on everything but <c>/healthz</c>: 401 without a valid token (429 instead while the address is
/// slowed down for failing too often; a valid token is always admitted), 403 when the token's role is below the endpoint's <see cref="RequireRole"/>. Runs after routing.
/// </summary>
internal sealed class AuthMiddleware
{
    private readonly RequestDelegate _next;
    private readonly TokenStore _tokens;
    private readonly AuthFailureLimiter _limiter;
    private readonly ILogger _logger;

    public AuthMiddleware(RequestDelegate next, TokenStore tokens, AuthFailureLimiter limiter, ILogger logger)
    {
        _next = next;
        _tokens = tokens;
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

        // The token is checked before the slow-down: a valid token is always admitted (the admin, the CLI and
        // Prometheus on 127.0.0.1 must not be locked out by someone else's guesses from the same address);
        // only failures are slowed.
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var header = context.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        var presented = header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : null;
        var token = string.IsNullOrEmpty(presented) ? null : _tokens.Authenticate(presented);
        if (token is null)
        {
            if (_limiter.RetryAfter(address) is { } wait)
            {
                var seconds = (int)Math.Ceiling(wait.TotalSeconds);
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await Problems.WriteAsync(context, StatusCodes.Status429TooManyRequests,
                    $"too many failed authentications from {address}; try again in {seconds}s").ConfigureAwait(false);
                return;
            }

            _limiter.Failed(address);
            ApiLog.AuthenticationFailed(_logger, address, presented is null ? "no bearer token" : "unknown token");
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await Problems.WriteAsync(context, StatusCodes.Status401Unauthorized, presented is null
                ? "this API needs a bearer token: Authorization: Bearer <token> (see `slipway token`)"
                : "the bearer token is not valid (unknown or revoked)").ConfigureAwait(false);
            return;
        }

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
