using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Slipway.Control.Audit;
using Slipway.Server.Auth;

namespace Slipway.Server.Api;

/// <summary>
/// The entry a mutating endpoint writes just before it acts, with what it is about to do (the arguments added so
/// far): a crash mid-action still leaves it. The result entry <see cref="AuditMiddleware"/> writes afterwards
/// names it in its <c>intent</c> argument.
/// </summary>
internal static class AuditIntent
{
    private const string Key = "slipway.audit.intent";

    public static void Write(HttpContext context, AuditLog audit)
    {
        var entry = audit.Append(new AuditRecord(
            ApiPrincipal.Get(context)?.Name ?? "-",
            context.Request.Method,
            Route(context),
            AuditArguments.Of(context),
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            0,
            AuditPhase.Intent));
        context.Items[Key] = entry.Seq;
    }

    /// <summary>The intent entry this call wrote, if any.</summary>
    public static long? Of(HttpContext context) => context.Items.TryGetValue(Key, out var seq) ? seq as long? : null;

    public static string Route(HttpContext context) => (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.ToString();
}
