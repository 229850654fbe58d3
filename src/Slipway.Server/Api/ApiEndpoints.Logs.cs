using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Slipway.Control.Logs;
using Slipway.Server.Auth;

namespace Slipway.Server.Api;

/// <summary>Logs: search the stored lines, or follow new ones.</summary>
internal static partial class ApiEndpoints
{
    private static readonly TimeSpan LogPollInterval = TimeSpan.FromMilliseconds(500);

    private static void MapLogs(RouteGroupBuilder v1, ApiContext api, CancellationToken stopping)
    {
        v1.MapGet("/logs", (string? service, string? instance, string? grep, string? since, string? limit) =>
            {
                if (LogQuery(api, service, since, limit, out var from, out var count) is { } problem)
                {
                    return problem;
                }

                var lines = LogReader.Read(api.StateDirectory, service!, instance)
                    .Where(l => l.Time >= from && Matches(l, grep))
                    .TakeLast(count)
                    .Select(l => new { time = l.Time, instance = l.Instance, stream = l.Stream, text = l.Text });
                return Results.Json(lines, ApiJson.Options);
            })
            .Role(ApiRole.Viewer);

        v1.MapGet("/logs/stream", async (string? service, string? instance, string? grep, HttpContext context) =>
            {
                if (LogQuery(api, service, null, null, out _, out _) is { } problem)
                {
                    await problem.ExecuteAsync(context).ConfigureAwait(false);
                    return;
                }

                using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
                var from = api.Time.GetUtcNow();
                var sent = new HashSet<string>(StringComparer.Ordinal);
                try
                {
                    await ServerSentEvents.StartAsync(context).ConfigureAwait(false);
                    while (!done.IsCancellationRequested)
                    {
                        // Files are re-read whole each round; a line is sent once (same instance, time and text).
                        foreach (var line in LogReader.Read(api.StateDirectory, service!, instance))
                        {
                            if (line.Time >= from && Matches(line, grep) && sent.Add(line.Instance + "\t" + line.Format()))
                            {
                                await ServerSentEvents.WriteAsync(context, new { time = line.Time, instance = line.Instance, stream = line.Stream, text = line.Text }, done.Token).ConfigureAwait(false);
                            }
                        }

                        await Task.Delay(LogPollInterval, api.Time, done.Token).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException)
                {
                    // The client went away or the daemon is stopping.
                }
            })
            .Role(ApiRole.Viewer);
    }

    private static bool Matches(LogLine line, string? grep) => grep is null || line.Text.Contains(grep, StringComparison.OrdinalIgnoreCase);

    private static IResult? LogQuery(ApiContext api, string? service, string? since, string? limit, out DateTimeOffset from, out int count)
    {
        var errors = new Dictionary<string, string[]>();
        from = DateTimeOffset.MinValue;
        count = 1000;
        if (string.IsNullOrEmpty(service))
        {
            errors["service"] = ["is required"];
        }
        else if (!api.Manifest.Services.ContainsKey(service))
        {
            return UnknownService(service);
        }

        if (!Since.TryParse(since, api.Time, out var parsed, out var sinceError))
        {
            errors["since"] = [sinceError!];
        }

        from = parsed ?? DateTimeOffset.MinValue;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > 100_000))
        {
            errors["limit"] = [$"must be a whole number between 1 and 100000 (got \"{limit}\")"];
        }

        return errors.Count > 0 ? Problems.Invalid(errors) : null;
    }
}
