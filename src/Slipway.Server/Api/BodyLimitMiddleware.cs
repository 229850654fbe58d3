using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Slipway.Server.Api;

/// <summary>
/// Holds every request body to its endpoint's <see cref="BodyLimit"/>: a declared length over it is refused at once,
/// and a chunked body is read in full (up to the limit) before the endpoint runs, so no endpoint acts on a request
/// whose body then turns out too large. Either way the answer is a 413 problem, never a 500.
/// </summary>
internal sealed class BodyLimitMiddleware
{
    private readonly RequestDelegate _next;

    public BodyLimitMiddleware(RequestDelegate next) => _next = next;

    public async Task InvokeAsync(HttpContext context)
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<BodyLimit>() ?? BodyLimit.Default;
        var request = context.Request;
        if (request.ContentLength is { } declared && declared > limit.Bytes)
        {
            await TooLargeAsync(context, limit).ConfigureAwait(false);
            return;
        }

        if (request.ContentLength is null && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
        {
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = limit.Bytes;
            }

            var buffered = new MemoryStream();
            try
            {
                await request.Body.CopyToAsync(buffered, context.RequestAborted).ConfigureAwait(false);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                await TooLargeAsync(context, limit).ConfigureAwait(false);
                return;
            }

            buffered.Position = 0;
            request.Body = buffered;
        }

        await _next(context).ConfigureAwait(false);
    }

    private static Task TooLargeAsync(HttpContext context, BodyLimit limit)
    {
        // The rest of the body is not read: the connection closes after this answer.
        context.Response.Headers.Connection = "close";
        return Problems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge,
            $"the request body is larger than {context.Request.Method} {context.Request.Path} takes ({limit.Text})");
    }
}
