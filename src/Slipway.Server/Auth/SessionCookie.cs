using Microsoft.AspNetCore.Http;

namespace Slipway.Server.Auth;

/// <summary>
/// The dashboard's session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it),
/// Secure when the API is reached over TLS, path <c>/</c>, and gone when the session ends.
/// </summary>
internal static class SessionCookie
{
    public const string Name = "slipway_session";

    public static string? Read(HttpContext context) =>
        context.Request.Cookies.TryGetValue(Name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    public static void Write(HttpContext context, string id, Session session) =>
        context.Response.Cookies.Append(Name, id, Options(context, session.Expires));

    /// <summary>Tells the browser to forget the cookie (sign-out, or one the daemon no longer knows).</summary>
    public static void Clear(HttpContext context) =>
        context.Response.Cookies.Delete(Name, Options(context, DateTimeOffset.UnixEpoch));

    public static CookieOptions Options(HttpContext context, DateTimeOffset expires) => new()
    {
        HttpOnly = true,
        Secure = context.Request.IsHttps,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };
}
