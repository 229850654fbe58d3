using Microsoft.AspNetCore.Http;

namespace Slipway.Server.Auth;

/// <summary>Who is calling: set on the request by <see cref="AuthMiddleware"/> once the token checked out.</summary>
internal static class ApiPrincipal
{
    private const string Key = "slipway.principal";
    private const string SessionKey = "slipway.session";

    public static void Set(HttpContext context, TokenRecord token) => context.Items[Key] = token;

    public static TokenRecord? Get(HttpContext context) => context.Items.TryGetValue(Key, out var value) ? value as TokenRecord : null;

    /// <summary>The dashboard session the call came with; null for a bearer token.</summary>
    public static void SetSession(HttpContext context, Session session) => context.Items[SessionKey] = session;

    public static Session? GetSession(HttpContext context) => context.Items.TryGetValue(SessionKey, out var value) ? value as Session : null;
}
