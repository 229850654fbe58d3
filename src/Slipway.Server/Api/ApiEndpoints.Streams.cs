using Microsoft.AspNetCore.Http;
using Slipway.Server.Auth;

namespace Slipway.Server.Api;

/// <summary>What every live stream (events, logs) does around its own items: the lease, the headers, the end.</summary>
internal static partial class ApiEndpoints
{
    /// <summary>
    /// Opens a stream for the caller (refused with 429 or 503 past the limits), sends the headers, then runs
    /// <paramref name="send"/> until the client goes, the daemon stops or the lease ends (revoked, too old); a stream
    /// the daemon ended gets a last <c>event: end</c> that says why.
    /// </summary>
    private static async Task StreamAsync(ApiContext api, HttpContext context, CancellationToken stopping, Func<CancellationToken, Task> send)
    {
        using var lease = api.Streams.TryOpen(ApiPrincipal.Get(context)!.Name, out var refusal, out var status);
        if (lease is null)
        {
            await Problems.Result(status, refusal!).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping, lease.Ended);
        try
        {
            await ServerSentEvents.StartAsync(context).ConfigureAwait(false);
            await send(done.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The client went away, the daemon is stopping, or the stream was ended (revoked, too old).
        }

        if (lease.Reason is { } reason && !context.RequestAborted.IsCancellationRequested)
        {
            try
            {
                await ServerSentEvents.WriteEndAsync(context, reason).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // The client is gone already.
            }
        }
    }
}
