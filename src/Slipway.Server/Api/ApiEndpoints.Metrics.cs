using System.ComponentModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Slipway.Control.Telemetry;
using Slipway.Core.Primitives;
using Slipway.Server.Api.Contracts;
using Slipway.Server.Auth;

namespace Slipway.Server.Api;

/// <summary>Per-revision time series from the proxy's request metrics: what the dashboard's charts draw.</summary>
internal static partial class ApiEndpoints
{
    /// <summary>Points per revision at most, so a small step over a long span cannot make a huge answer.</summary>
    private const int MaxPoints = 720;

    private static void MapMetrics(RouteGroupBuilder v1, ApiContext api)
    {
        v1.MapGet("/services/{name}/metrics", Results<Ok<ServiceMetricsResponse>, ProblemHttpResult> (
                string name,
                [Description("How far back (default 1h, at most the store's window of 1h).")] string? since,
                [Description("The width of each point (default 1m, at least 1s).")] string? step) =>
            {
                if (!api.Manifest.Services.ContainsKey(name))
                {
                    return UnknownService(name);
                }

                var errors = new Dictionary<string, string[]>();
                var span = ParseDuration(since, TimeSpan.FromHours(1), "since", errors);
                var width = ParseDuration(step, TimeSpan.FromMinutes(1), "step", errors);
                if (span > api.Metrics.Window)
                {
                    errors["since"] = [$"must be at most {DurationText.Format(api.Metrics.Window)}, the window request metrics are kept for (got {since})"];
                }

                if (width < TimeSpan.FromSeconds(1) || width.Ticks % TimeSpan.TicksPerSecond != 0)
                {
                    errors["step"] = [$"must be whole seconds, at least 1s (got {step})"];
                }
                else if (span.Ticks / width.Ticks > MaxPoints)
                {
                    errors["step"] = [$"gives more than {MaxPoints} points over {DurationText.Format(span)}; choose a wider step"];
                }

                if (errors.Count > 0)
                {
                    return Problems.Invalid(errors);
                }

                return TypedResults.Ok(Series(api.Metrics, name, api.Time.GetUtcNow(), span, width));
            })
            .Role(ApiRole.Viewer)
            .WithSummary("Each revision's requests/s, error rate and p50/p95/p99 latency per step, from the proxy's own metrics.");
    }

    private static TimeSpan ParseDuration(string? text, TimeSpan fallback, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        if (DurationText.TryParse(text, out var value, out var error) && value > TimeSpan.Zero)
        {
            return value;
        }

        errors[field] = [error ?? $"must be longer than 0 (got {text})"];
        return fallback;
    }

    /// <summary>Points end on whole steps since the epoch, so two calls a second apart share their buckets.</summary>
    private static ServiceMetricsResponse Series(RequestMetricsStore metrics, string service, DateTimeOffset now, TimeSpan span, TimeSpan step)
    {
        var stepSeconds = (long)step.TotalSeconds;
        var last = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() / stepSeconds * stepSeconds);
        var count = (int)(span.Ticks / step.Ticks);
        var first = last - (step * count);
        var revisions = metrics.Keys().Where(k => k.Service == service).Select(k => k.Revision).Distinct().ToList();
        var series = new List<RevisionMetricsResponse>();
        foreach (var revision in revisions)
        {
            var points = new List<MetricsPointResponse>(count + 1);
            for (var end = first + step; end <= last + step; end += step)
            {
                var stats = metrics.Between(end - step, end, k => k.Service == service && k.Revision == revision);
                points.Add(new MetricsPointResponse(
                    end,
                    Math.Round(stats.Requests / step.TotalSeconds, 3),
                    Math.Round(stats.ErrorRate, 4),
                    Milliseconds(stats.Quantile(0.5)),
                    Milliseconds(stats.Quantile(0.95)),
                    Milliseconds(stats.Quantile(0.99))));
            }

            series.Add(new RevisionMetricsResponse(revision, points));
        }

        return new ServiceMetricsResponse(service, first, last + step, step.TotalSeconds, series);
    }

    private static double? Milliseconds(TimeSpan? value) => value is { } v ? Math.Round(v.TotalMilliseconds, 2) : null;
}
