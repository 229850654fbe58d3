using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Slipway.Server.Api;

/// <summary>Writes <c>text/event-stream</c>: one <c>data:</c> JSON line per item, flushed at once.</summary>
internal static class ServerSentEvents
{
    public static async Task StartAsync(HttpContext context)
    {
        context.Response.ContentType = ApiContentTypes.EventStream;
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The last event of a stream the daemon ends: <c>event: end</c> with the reason, so a client can say why.</summary>
    public static async Task WriteEndAsync(HttpContext context, string reason)
    {
        var json = JsonSerializer.Serialize(new Contracts.StreamEnd(reason), Contracts.ApiJsonContext.Default.StreamEnd);
        await context.Response.WriteAsync($"event: end\ndata: {json}\n\n", context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    public static async Task WriteAsync<T>(HttpContext context, T item, JsonTypeInfo<T> info, CancellationToken token)
    {
        var json = JsonSerializer.Serialize(item, info);
        await context.Response.WriteAsync($"data: {json}\n\n", token).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(token).ConfigureAwait(false);
    }
}
