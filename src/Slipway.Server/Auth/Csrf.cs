using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Slipway.Server.Auth;

/// <summary>
/// Cross-site request forgery checks for calls that a session cookie authenticates (a bearer token cannot be forged
/// by another site, so those pass). SameSite=Strict alone is not relied on: an older browser, or a sibling site on
/// the same registrable domain, would still send the cookie. A state-changing call must carry the session's own
/// token in <see cref="Header"/> (the page reads it from <c>GET /api/v1/session</c>, which another origin cannot read),
/// and an <c>Origin</c>, when the browser sends one, must be this API's own.
/// </summary>
internal static class Csrf
{
    public const string Header = "X-CSRF-Token";

    /// <returns>Why the call is refused, or null when it may go on.</returns>
    public static string? Refusal(HttpContext context, Session? session)
    {
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method))
        {
            return null;
        }

        if (ForeignOrigin(context) is { } origin)
        {
            return $"a request from {origin} may not act on this daemon (cross-site request refused)";
        }

        if (session is null)
        {
            return null;
        }

        var presented = context.Request.Headers[Header].ToString();
        return presented.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(session.Csrf))
            ? null
            : $"this action needs the {Header} header of the signed-in page (cross-site request refused); reload the dashboard and try again";
    }

    /// <summary>The request's Origin when it is present and not this API's scheme://host[:port]; else null.</summary>
    public static string? ForeignOrigin(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return null;
        }

        var own = $"{context.Request.Scheme}://{context.Request.Host.Value}";
        return string.Equals(origin, own, StringComparison.OrdinalIgnoreCase) ? null : origin;
    }
}
