using Slipway.Server.Auth;

namespace Slipway.Server.Api.Contracts;

/// <summary>The signed-in dashboard session: whose token, its role, when it ends, and the CSRF token its page sends back.</summary>
/// <param name="Csrf">Goes in the X-CSRF-Token header of every call that changes something.</param>
internal sealed record SessionResponse(string Name, ApiRole Role, DateTimeOffset Expires, string Csrf)
{
    public static SessionResponse Of(Session session, TokenRecord token) => new(token.Name, token.Role, session.Expires, session.Csrf);
}
