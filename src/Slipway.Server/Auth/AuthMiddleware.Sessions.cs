using Microsoft.AspNetCore.Http;
using Slipway.Server.Api;

namespace Slipway.Server.Auth;

/// <summary>The dashboard's way in: a session cookie stands for its token, with the same role checks and CSRF checks on top.</summary>
internal sealed partial class AuthMiddleware
{
    private async Task SessionAsync(HttpContext context, string cookie, string address)
    {
        var (session, expired) = _sessions.Find(cookie);
        // A session whose token was revoked is kept until it expires, so every call still in flight hears the same reason.
        var token = session is null ? null : _tokens.FindByHash(session.TokenHash);
        if (token is null)
        {
            // Whatever the answer, the browser forgets a cookie that stands for nothing: kept, it would be sent (and
            // counted as a guess) again with every call the page makes, and again on its next load.
            SessionCookie.Clear(context);
            if (!expired && session is null)
            {
                // An unknown session id is a guess as much as an unknown token is (and slowed like one).
                if (await SlowedDownAsync(context, address).ConfigureAwait(false))
                {
                    return;
                }

                _limiter.Failed(address);
            }

            ApiLog.AuthenticationFailed(_logger, address, expired ? "expired session" : session is null ? "unknown session" : "session of a revoked token");
            await Problems.WriteAsync(context, StatusCodes.Status401Unauthorized,
                expired ? "your session has expired; sign in again"
                : session is null ? "you are not signed in (the session is unknown or has ended); sign in again"
                : $"your session has ended: the token {session.TokenName} it was opened with was revoked").ConfigureAwait(false);
            return;
        }

        ApiPrincipal.SetSession(context, session!);
        if (Csrf.Refusal(context, session) is { } refusal)
        {
            ApiPrincipal.Set(context, token);
            await Problems.WriteAsync(context, StatusCodes.Status403Forbidden, refusal).ConfigureAwait(false);
            return;
        }

        await AuthorizedAsync(context, token).ConfigureAwait(false);
    }

    /// <summary>The dashboard's files and sign-in: no token needed, but no other site may post to them either.</summary>
    private async Task AnonymousAsync(HttpContext context)
    {
        if (Csrf.Refusal(context, null) is { } refusal)
        {
            await Problems.WriteAsync(context, StatusCodes.Status403Forbidden, refusal).ConfigureAwait(false);
            return;
        }

        await _next(context).ConfigureAwait(false);
    }
}
