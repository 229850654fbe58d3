namespace Slipway.DemoApp;

/// <summary>
/// Runs around every request: stamps the version headers, injects latency and
/// failures into app endpoints (never into /health or /ready, whose answers
/// DEMO_READY_AFTER and DEMO_UNHEALTHY_AFTER own), and writes the request log lines.
/// </summary>
internal sealed class RequestPipeline(DemoSettings settings, AppState state, DemoMetrics metrics, JsonLog log)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var clock = state.Uptime.Clock;
        var start = clock.GetTimestamp();
        context.Response.Headers["X-Demo-Version"] = settings.Version;
        context.Response.Headers["X-Demo-Instance"] = settings.Instance;
        var path = context.Request.Path;
        // Probes and scrapes get no injected latency or failure and are not counted in the app's own metrics.
        var isProbe = path.Equals("/health") || path.Equals("/ready") || path.Equals("/metrics");
        string? reason = null;
        state.RequestStarted();
        try
        {
            if (isProbe || !await FailAsync(context))
            {
                await next(context);
            }
            else
            {
                reason = "injected failure";
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
            reason = "client aborted";
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            reason = e.Message;
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        }
        finally
        {
            state.RequestEnded();
        }

        var status = context.Response.StatusCode;
        if (!isProbe)
        {
            var paymentFailed = reason == "injected failure" || (status < 500 && settings.PaymentFailRate > 0 && Random.Shared.NextDouble() < settings.PaymentFailRate);
            metrics.Observe(status, clock.GetElapsedTime(start), paymentFailed);
        }

        if (settings.LogErrors && status >= 500)
        {
            log.Error("request failed", Fields(context, status, clock.GetElapsedTime(start), reason));
        }
        else if (settings.LogRequests)
        {
            log.Info("request", Fields(context, status, clock.GetElapsedTime(start), reason));
        }
    }

    /// <summary>Waits the configured latency, then decides by DEMO_FAIL_RATE whether to answer 500 instead.</summary>
    private async ValueTask<bool> FailAsync(HttpContext context)
    {
        var delay = settings.Latency + (settings.LatencyJitter * Random.Shared.NextDouble());
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, state.Uptime.Clock, context.RequestAborted);
        }

        if (settings.FailRate <= 0 || Random.Shared.NextDouble() >= settings.FailRate)
        {
            return false;
        }

        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync($"demo-app version {settings.Version} injected failure\n", context.RequestAborted);
        return true;
    }

    private static (string, object?)[] Fields(HttpContext context, int status, TimeSpan elapsed, string? reason) => reason is null
        ? [("method", context.Request.Method), ("path", context.Request.Path.Value), ("status", status), ("durationMs", elapsed)]
        : [("method", context.Request.Method), ("path", context.Request.Path.Value), ("status", status), ("durationMs", elapsed), ("reason", reason)];
}
