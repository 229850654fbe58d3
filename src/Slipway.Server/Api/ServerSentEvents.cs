using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Slipway.Server.Api;

/// <summary>Writes <c>text/event-stream</c>: one <c>data:</c> JSON line per item, flushed at once.</summary>
internal static class ServerSentEvents
{
    public static async Task StartAsync(HttpContext context)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The last event of a stream the daemon ends: <c>event: end</c> with the reason, so a client can say why.</summary>
    public static async Task WriteEndAsync(HttpContext context, string reason)
    {
        var json = JsonSerializer.Serialize(new { reason }, ApiJson.Options);
        await context.Response.WriteAsync($"event: end\ndata: {json}\n\n", context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    public static async Task WriteAsync<T>(HttpContext context, T item, CancellationToken token)
    {
        var json = JsonSerializer.Serialize(item, ApiJson.Options);
        await context.Response.WriteAsync($"data: {json}\n\n", token).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(token).ConfigureAwait(false);
    }
}
