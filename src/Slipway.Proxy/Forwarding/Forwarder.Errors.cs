using Microsoft.AspNetCore.Http;

namespace Slipway.Proxy.Forwarding;

internal sealed partial class Forwarder
{
    private const string TextPlain = "text/plain; charset=utf-8";

    /// <summary>Answers in the backend's place, or cuts the connection when the response already started.</summary>
    private static async Task WriteErrorAsync(ProxyContext context, int status, byte[] body, bool retryAfter = false)
    {
        var response = context.Http.Response;
        context.StatusCode = status;
        context.ProxyFailure = status >= 500;
        if (response.HasStarted)
        {
            context.Http.Abort();
            return;
        }

        response.Headers.Clear();
        response.StatusCode = status;
        response.ContentType = TextPlain;
        response.ContentLength = body.Length;
        response.Headers[ProxyHeaderNames.XRequestId] = context.RequestId;
        if (status == StatusCodes.Status400BadRequest)
        {
            // Whatever follows a malformed request on this connection cannot be trusted either.
            response.Headers.Connection = "close";
        }

        if (retryAfter)
        {
            response.Headers[ProxyHeaderNames.RetryAfter] = "1";
        }

        if (status >= 500)
        {
            // A proxy failure is about this moment; caches must not keep it.
            response.Headers.CacheControl = "no-store";
        }

        try
        {
            await response.Body.WriteAsync(body, context.Http.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            context.StatusCode = 0;
        }
        catch (IOException)
        {
            context.StatusCode = 0;
        }
    }
}
