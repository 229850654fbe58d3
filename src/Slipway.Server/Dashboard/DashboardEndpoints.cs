using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Slipway.Server.Dashboard;

/// <summary>
/// Serves the dashboard on the control API's listener: <c>/</c> is the page, <c>/dashboard/…</c> its scripts and
/// styles. They need no token (they hold no data: the page reads everything through <c>/api/v1</c> with the
/// session cookie), are left out of the OpenAPI document, and go out with a strict Content-Security-Policy.
/// </summary>
internal static class DashboardEndpoints
{
    /// <summary>Scripts and styles only from this origin; no inline script, no frames, no form posts elsewhere.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static void Map(IEndpointRouteBuilder app, DashboardAssets assets)
    {
        app.MapGet("/", (HttpContext context) => Serve(context, assets.Find("index.html")))
            .WithMetadata(new AllowAnonymousAttribute()).ExcludeFromDescription();
        app.MapGet("/dashboard/{**path}", (string path, HttpContext context) => Serve(context, assets.Find(path)))
            .WithMetadata(new AllowAnonymousAttribute()).ExcludeFromDescription();
    }

    private static IResult Serve(HttpContext context, DashboardAsset? asset)
    {
        if (asset is null)
        {
            return Api.Problems.NotFound($"there is no {context.Request.Path} in the dashboard");
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        headers.Vary = HeaderNames.AcceptEncoding;
        if (context.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        if (context.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            headers.ContentEncoding = "gzip";
            return Results.Bytes(asset.Gzip, asset.ContentType);
        }

        return Results.Bytes(asset.Content, asset.ContentType);
    }
}
