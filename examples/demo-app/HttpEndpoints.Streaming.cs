using System.Text;

namespace Slipway.DemoApp;

internal sealed partial class HttpEndpoints
{
    // 630 repetitions of a..z: every chunk ends on a whole alphabet, so the body is a..z repeated throughout.
    private static readonly byte[] Pattern = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("abcdefghijklmnopqrstuvwxyz", 630)));

    private const int EchoBufferSize = 8 * 1024;

    /// <summary>A body of exactly <c>n</c> bytes (default 1024) of a..z repeated, written in 16 KB chunks rather than allocated at once.</summary>
    private async Task BytesAsync(HttpContext context)
    {
        if (await QueryAsync(context, "n", 1024, long.MaxValue) is not { } n)
        {
            return;
        }

        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = n;
        for (var left = n; left > 0;)
        {
            var count = (int)Math.Min(left, Pattern.Length);
            await context.Response.Body.WriteAsync(Pattern.AsMemory(0, count), context.RequestAborted);
            left -= count;
        }
    }

    /// <summary>
    /// Streams the request body back as it arrives, through a small buffer, with
    /// the request's content type (and length, when it had one). Any method.
    /// </summary>
    private async Task EchoAsync(HttpContext context)
    {
        context.Response.ContentType = context.Request.ContentType ?? "application/octet-stream";
        if (context.Request.ContentLength is { } length)
        {
            context.Response.ContentLength = length;
        }

        await context.Request.Body.CopyToAsync(context.Response.Body, EchoBufferSize, context.RequestAborted);
    }

    /// <summary>
    /// Server-sent events: <c>count</c> events (default 10; 0 means until the client
    /// leaves) every <c>intervalMs</c> (default 1000), each flushed on its own. The
    /// stream ends cleanly when the app starts shutting down.
    /// </summary>
    private async Task SseAsync(HttpContext context)
    {
        if (await QueryAsync(context, "count", 10, int.MaxValue) is not { } count
            || await QueryAsync(context, "intervalMs", 1000, MaxWaitMs) is not { } intervalMs)
        {
            return;
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            for (var i = 1L; count == 0 || i <= count; i++)
            {
                if (i > 1)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(intervalMs), state.Uptime.Clock, linked.Token);
                }

                await context.Response.WriteAsync($"id: {i}\nevent: tick\ndata: {i} version {settings.Version}\n\n", linked.Token);
                await context.Response.Body.FlushAsync(linked.Token);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            // Shutting down: end the stream so the client sees a close, not a cut.
        }
    }
}
