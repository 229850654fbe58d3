using Microsoft.AspNetCore.Http;

namespace Slipway.Server.Auth;

/// <summary>Who is calling: set on the request by <see cref="AuthMiddleware"/> once the token checked out.</summary>
internal static class ApiPrincipal
{
    private const string Key = "slipway.principal";

    public static void Set(HttpContext context, TokenRecord token) => context.Items[Key] = token;

    public static TokenRecord? Get(HttpContext context) => context.Items.TryGetValue(Key, out var value) ? value as TokenRecord : null;
}
