using System.Net.Http.Headers;

namespace Slipway.DemoApp;

/// <summary>
/// Plays a gateway (DEMO_FORWARD): a request under a forwarded prefix is sent on to its target with the same method,
/// path, query, body and content type, and the target's status, content type and body come back, with
/// <c>X-Demo-Upstream-Instance</c> naming the instance that answered. A target that cannot be reached is a 502.
/// </summary>
internal sealed class GatewayForwarder(IReadOnlyList<ForwardRule> rules, JsonLog log) : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false, UseCookies = false, AllowAutoRedirect = false })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var rule = rules.FirstOrDefault(r => r.Matches(context.Request.Path));
        if (rule is null)
        {
            await next(context);
            return;
        }

        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(rule.Target, context.Request.Path + context.Request.QueryString));
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(context.Request.Body);
            if (context.Request.ContentType is { } type)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
            }
        }

        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
            context.Response.StatusCode = (int)response.StatusCode;
            context.Response.Headers["X-Demo-Upstream-Instance"] = response.Headers.TryGetValues("X-Demo-Instance", out var instance) ? instance.First() : "";
            context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
        catch (HttpRequestException e) when (!context.Response.HasStarted)
        {
            log.Error("forward failed", ("prefix", rule.Prefix), ("target", rule.Target.ToString()), ("reason", e.Message));
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync($"demo-app gateway: {rule.Target} did not answer: {e.Message}\n", context.RequestAborted);
        }
    }

    public void Dispose() => _client.Dispose();
}
