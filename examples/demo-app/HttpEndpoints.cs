using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Slipway.DemoApp;

/// <summary>
/// The HTTP endpoints, each a plain <see cref="RequestDelegate"/>: no parameter
/// binding or code generation to pay for at start-up. Streaming endpoints are in
/// HttpEndpoints.Streaming.cs, the WebSocket echo in HttpEndpoints.WebSockets.cs.
/// </summary>
internal sealed partial class HttpEndpoints(DemoSettings settings, AppState state, DemoMetrics metrics, JsonLog log, CancellationToken stopping)
{
    private const string TextPlain = "text/plain; charset=utf-8";

    // Longest /burn and /sleep honoured, so a typo cannot pin a core for a day.
    private const long MaxWaitMs = 600_000;

    // Largest /allocate honoured in one request: 64 GiB.
    private const long MaxAllocateMb = 65_536;

    public void Map(WebApplication app)
    {
        app.Map("/", RootAsync);
        app.Map("/health", HealthAsync);
        app.Map("/ready", ReadyAsync);
        app.Map("/info", InfoAsync);
        app.Map("/metrics", MetricsAsync);
        app.Map("/burn", BurnAsync);
        app.Map("/allocate", AllocateAsync);
        app.Map("/sleep", SleepAsync);
        app.Map("/bytes", BytesAsync);
        app.Map("/echo", EchoAsync);
        app.Map("/sse", SseAsync);
        app.Map("/ws", WebSocketEchoAsync);
        app.Map("/headers", HeadersAsync);
        app.Map("/request", RequestAsync);
        app.Map("/status/{code}", StatusAsync);
        app.Map("/env/{name}", EnvAsync);
        // Any other path answers like "/", so the app works behind a path-prefix route without rewriting.
        app.MapFallback("{*path}", RootAsync);
    }

    private Task RootAsync(HttpContext context) =>
        TextAsync(context, StatusCodes.Status200OK, $"demo-app version {settings.Version} instance {settings.Instance}\n");

    private Task HealthAsync(HttpContext context) => state.IsHealthy
        ? TextAsync(context, StatusCodes.Status200OK, "ok\n")
        : TextAsync(context, StatusCodes.Status503ServiceUnavailable, "unhealthy\n");

    private Task ReadyAsync(HttpContext context) => state.IsReady
        ? TextAsync(context, StatusCodes.Status200OK, "ok\n")
        : TextAsync(context, StatusCodes.Status503ServiceUnavailable, state.Stopping ? "stopping\n" : "not ready\n");

    private Task MetricsAsync(HttpContext context) =>
        TextAsync(context, StatusCodes.Status200OK, metrics.Text(), "text/plain; version=0.0.4; charset=utf-8");

    private Task InfoAsync(HttpContext context) => JsonAsync(context, json =>
    {
        json.WriteString("version", settings.Version);
        json.WriteString("instance", settings.Instance);
        json.WriteNumber("pid", Environment.ProcessId);
        if (state.ChildPid is { } child)
        {
            json.WriteNumber("childPid", child);
        }
        else
        {
            json.WriteNull("childPid");
        }

        json.WriteNumber("heldBytes", Faults.HeldBytes);
        json.WriteNumber("inFlight", state.InFlight);
        json.WriteNumber("uptimeMs", (long)state.Uptime.Elapsed.TotalMilliseconds);
        json.WriteBoolean("ready", state.IsReady);
        json.WriteBoolean("healthy", state.IsHealthy);
    });

    /// <summary>Keeps a core busy for <c>ms</c> milliseconds (default 100), for CPU-based autoscaling and load.</summary>
    private async Task BurnAsync(HttpContext context)
    {
        if (await QueryAsync(context, "ms", 100, MaxWaitMs) is not { } ms)
        {
            return;
        }

        var clock = state.Uptime.Clock;
        var start = clock.GetTimestamp();
        var x = 1.0;
        while (clock.GetElapsedTime(start).TotalMilliseconds < ms && !context.RequestAborted.IsCancellationRequested)
        {
            for (var i = 0; i < 10_000; i++)
            {
                x = Math.Sqrt(x + i);
            }
        }

        await TextAsync(context, StatusCodes.Status200OK, string.Create(CultureInfo.InvariantCulture, $"burned {ms} ms ({x:F1})\n"));
    }

    /// <summary>Allocates <c>mb</c> MiB more (default 64), writes every page and holds it until exit: a leak on demand.</summary>
    private async Task AllocateAsync(HttpContext context)
    {
        if (await QueryAsync(context, "mb", 64, MaxAllocateMb) is not { } mb)
        {
            return;
        }

        Faults.HoldMemory((int)mb);
        await TextAsync(context, StatusCodes.Status200OK, string.Create(CultureInfo.InvariantCulture, $"holding {Faults.HeldBytes / (1024 * 1024)} MiB\n"));
    }

    /// <summary>Answers after <c>ms</c> milliseconds (default 1000). Keeps going through shutdown: it is the in-flight request a drain waits for.</summary>
    private async Task SleepAsync(HttpContext context)
    {
        if (await QueryAsync(context, "ms", 1000, MaxWaitMs) is not { } ms)
        {
            return;
        }

        await Task.Delay(TimeSpan.FromMilliseconds(ms), state.Uptime.Clock, context.RequestAborted);
        await TextAsync(context, StatusCodes.Status200OK, $"slept {ms} ms\n");
    }

    /// <summary>The request headers as one JSON object: lower-case names, repeated values joined by ", ".</summary>
    private Task HeadersAsync(HttpContext context) => JsonAsync(context, json => WriteHeaders(json, context));

    /// <summary>What arrived, beyond the headers: method, path, query, protocol and the peer's address.</summary>
    private Task RequestAsync(HttpContext context) => JsonAsync(context, json =>
    {
        var request = context.Request;
        json.WriteString("method", request.Method);
        json.WriteString("path", request.Path.Value);
        json.WriteString("query", request.QueryString.Value);
        json.WriteString("protocol", request.Protocol);
        json.WriteString("host", request.Host.Value);
        json.WriteString("remoteIp", context.Connection.RemoteIpAddress?.ToString());
        json.WriteNumber("remotePort", context.Connection.RemotePort);
        json.WriteStartObject("headers");
        WriteHeaders(json, context);
        json.WriteEndObject();
    });

    private Task StatusAsync(HttpContext context)
    {
        if (!int.TryParse(context.Request.RouteValues["code"] as string, NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            || code is < 200 or > 599)
        {
            return TextAsync(context, StatusCodes.Status400BadRequest, "status must be a number from 200 to 599\n");
        }

        if (code is StatusCodes.Status204NoContent or StatusCodes.Status304NotModified)
        {
            context.Response.StatusCode = code;
            return Task.CompletedTask;
        }

        return TextAsync(context, code, $"status {code}\n");
    }

    /// <summary>The variable's value exactly (no newline added), or 404 when it is not set.</summary>
    private Task EnvAsync(HttpContext context)
    {
        var name = context.Request.RouteValues["name"] as string ?? "";
        return Environment.GetEnvironmentVariable(name) is { } value
            ? TextAsync(context, StatusCodes.Status200OK, value)
            : TextAsync(context, StatusCodes.Status404NotFound, $"{name} is not set\n");
    }

    private static void WriteHeaders(Utf8JsonWriter json, HttpContext context)
    {
        foreach (var (name, values) in context.Request.Headers)
        {
            json.WriteString(name.ToLowerInvariant(), string.Join(", ", values.ToArray()));
        }
    }

    private static Task TextAsync(HttpContext context, int status, string body, string contentType = TextPlain)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(body, context.RequestAborted);
    }

    private static Task JsonAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            write(json);
            json.WriteEndObject();
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = buffer.WrittenCount;
        return context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).AsTask();
    }

    /// <summary>Reads a whole-number query parameter; answers 400 and returns null when it is malformed or out of range.</summary>
    private static async ValueTask<long?> QueryAsync(HttpContext context, string name, long fallback, long max)
    {
        var text = context.Request.Query[name].ToString();
        if (text.Length == 0)
        {
            return fallback;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= max)
        {
            return value;
        }

        await TextAsync(context, StatusCodes.Status400BadRequest, $"{name} must be a whole number from 0 to {max}\n");
        return null;
    }
}
