using System.Globalization;
using Microsoft.AspNetCore.Http;
using Slipway.Core.Routing;
using Slipway.Proxy.Edge;

namespace Slipway.Proxy.Forwarding;

internal sealed partial class Forwarder
{
    private const string TextPlain = "text/plain; charset=utf-8";

    /// <summary>Answers in the backend's place, or cuts the connection when the response already started.</summary>
    private Task WriteErrorAsync(ProxyContext context, int status, byte[] body, bool retryAfter = false) =>
        WriteAnswerAsync(context, status, body, TextPlain, retryAfter ? 1 : 0, rateLimit: null);

    /// <summary>An edge step's refusal: its status, body and type, Retry-After, and for a rate limit the RateLimit fields.</summary>
    private Task WriteRefusalAsync(ProxyContext context, EdgeVerdict verdict)
    {
        var answer = verdict.Answer!;
        context.Refusal = answer.Reason;
        return WriteAnswerAsync(context, answer.Status, answer.Body, answer.ContentType, verdict.RetryAfterSeconds, answer.RateLimit);
    }

    /// <summary><c>redirectHttp</c>'s answer: 308 keeps the method and body, unlike 301.</summary>
    private Task WriteRedirectAsync(ProxyContext context, string location)
    {
        var response = context.Http.Response;
        context.StatusCode = StatusCodes.Status308PermanentRedirect;
        response.Headers.Clear();
        response.StatusCode = StatusCodes.Status308PermanentRedirect;
        response.ContentLength = 0;
        response.Headers.Location = location;
        response.Headers[ProxyHeaderNames.XRequestId] = context.RequestId;
        _edge.Headers.Apply(response.Headers, https: false);
        return Task.CompletedTask;
    }

    private async Task WriteAnswerAsync(ProxyContext context, int status, byte[] body, string contentType, int retryAfterSeconds, (string Policy, string Name)? rateLimit)
    {
        var response = context.Http.Response;
        context.StatusCode = status;
        if (status == StatusCodes.Status413PayloadTooLarge)
        {
            context.Refusal = EdgeRefusal.BodyTooLarge;
        }

        // A refusal (a maintenance 503 included) is the edge doing its job, not a failure to reach the backend.
        context.ProxyFailure = status >= 500 && context.Refusal == EdgeRefusal.None;

        if (response.HasStarted)
        {
            // Too late to answer: the backend's status already went out. The proxy's own cut, recorded as the
            // broken-off response it is (502) whenever the abort reaches the request's token.
            context.CutClient();
            return;
        }

        var headers = response.Headers;
        headers.Clear();
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        headers[ProxyHeaderNames.XRequestId] = context.RequestId;
        if (status is StatusCodes.Status400BadRequest or StatusCodes.Status413PayloadTooLarge)
        {
            // Whatever follows a malformed request on this connection cannot be trusted either; after a 413 the
            // rest of the body is still on its way, and reading it only to throw it away helps nobody.
            headers.Connection = "close";
        }

        if (retryAfterSeconds > 0)
        {
            headers[ProxyHeaderNames.RetryAfter] = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        if (rateLimit is { } limit)
        {
            headers[ProxyHeaderNames.RateLimitPolicy] = limit.Policy;
            headers[ProxyHeaderNames.RateLimit] = string.Create(CultureInfo.InvariantCulture, $"\"{limit.Name}\";r=0;t={retryAfterSeconds}");
        }

        if (status >= 500)
        {
            // A proxy failure is about this moment; caches must not keep it.
            headers.CacheControl = "no-store";
        }

        _edge.Headers.Apply(headers, context.IsHttps);
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
