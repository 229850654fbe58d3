using System.ComponentModel;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Slipway.Control.Logs;
using Slipway.Server.Api.Contracts;
using Slipway.Server.Api.OpenApi;
using Slipway.Server.Auth;

namespace Slipway.Server.Api;

/// <summary>Logs: search every service's stored lines, or follow new ones as the collector writes them.</summary>
internal static partial class ApiEndpoints
{
    /// <summary>Lines a slow follower may fall behind by before the oldest are dropped.</summary>
    private const int FollowBuffer = 10_000;

    private const string ServiceText = "Only this service.";
    private const string RevisionText = "Only this revision.";
    private const string InstanceText = "Only this instance, e.g. api-7-0.";
    private const string LevelText = "This level or worse: debug, info, warn or error.";
    private const string SinceText = "Lines from this long ago (1h) or this time (ISO-8601) on.";
    private const string UntilText = "Lines before this long ago or this time.";
    private const string GrepText = "A regular expression (case-insensitive, linear-time); for JSON lines it matches any field value.";

    private static void MapLogs(RouteGroupBuilder v1, ApiContext api, CancellationToken stopping)
    {
        v1.MapGet("/logs", Results<Ok<IReadOnlyList<LogLineResponse>>, ProblemHttpResult> (
                [Description(ServiceText)] string? service, [Description(RevisionText)] string? revision, [Description(InstanceText)] string? instance,
                [Description(LevelText)] string? level, [Description(SinceText)] string? since, [Description(UntilText)] string? until,
                [Description(GrepText)] string? grep, [Description("At most this many, the newest (1–100000, default 1000).")] string? limit,
                CancellationToken cancellationToken) =>
            {
                if (ParseLogQuery(api, service, revision, instance, level, since, until, grep, limit, LogQuery.DefaultLimit, out var query) is { } problem)
                {
                    return problem;
                }

                return TypedResults.Ok<IReadOnlyList<LogLineResponse>>([.. LogSearch.Newest(api.StateDirectory, query, cancellationToken).Select(LogLineResponse.Of)]);
            })
            .Role(ApiRole.Viewer)
            .WithSummary("Log lines of every service and revision, oldest first; the newest `limit` of those that match.");

        v1.MapGet("/logs/stream", async (
                [Description(ServiceText)] string? service, [Description(RevisionText)] string? revision, [Description(InstanceText)] string? instance,
                [Description(LevelText)] string? level, [Description(SinceText)] string? since, [Description(UntilText)] string? until,
                [Description(GrepText)] string? grep, [Description("Stored lines sent first (default 0, or 1000 with since).")] string? limit,
                HttpContext context) =>
            {
                if (ParseLogQuery(api, service, revision, instance, level, since, until, grep, limit, 0, out var query) is { } problem)
                {
                    await problem.ExecuteAsync(context).ConfigureAwait(false);
                    return;
                }

                var channel = Channel.CreateBounded<LogEntry>(new BoundedChannelOptions(FollowBuffer) { FullMode = BoundedChannelFullMode.DropOldest });
                void OnWritten(IReadOnlyList<LogEntry> batch)
                {
                    foreach (var entry in batch)
                    {
                        if (query.Matches(entry))
                        {
                            channel.Writer.TryWrite(entry);
                        }
                    }
                }

                api.Supervisor.Logs.Written += OnWritten;
                try
                {
                    await StreamAsync(api, context, stopping, async token =>
                    {
                        // Subscribed first, then the stored lines: a line written in between comes through both, so the
                        // live side skips what is not newer than the last stored line sent (or is that very line).
                        var backlog = query.Limit > 0 ? LogSearch.Newest(api.StateDirectory, query, token) : [];
                        foreach (var entry in backlog)
                        {
                            await ServerSentEvents.WriteAsync(context, LogLineResponse.Of(entry), ApiJsonContext.Default.LogLineResponse, token).ConfigureAwait(false);
                        }

                        var last = backlog.Count > 0 ? backlog[^1].Time : DateTimeOffset.MinValue;
                        var lastSent = backlog.Where(e => e.Time == last).Select(e => (e.Instance, e.Text)).ToHashSet();
                        await foreach (var entry in channel.Reader.ReadAllAsync(token).ConfigureAwait(false))
                        {
                            if (entry.Time > last || (entry.Time == last && !lastSent.Contains((entry.Instance, entry.Text))))
                            {
                                await ServerSentEvents.WriteAsync(context, LogLineResponse.Of(entry), ApiJsonContext.Default.LogLineResponse, token).ConfigureAwait(false);
                            }
                        }
                    }).ConfigureAwait(false);
                }
                finally
                {
                    api.Supervisor.Logs.Written -= OnWritten;
                }
            })
            .Role(ApiRole.Viewer)
            .WithSummary("The newest `limit` stored lines that match (none unless limit or since is given), then each new one as it is written; ends (event: end, with the reason) when the token is revoked or the stream is 24h old. At most 10 per token (429) and 100 in all (503).")
            .ProducesEvents<LogLineResponse>();
    }

    /// <param name="defaultLimit">The search's default; a follow sends no stored lines unless asked (<c>limit</c> or <c>since</c>).</param>
    private static ProblemHttpResult? ParseLogQuery(ApiContext api, string? service, string? revision, string? instance, string? level, string? since, string? until,
        string? grep, string? limit, int defaultLimit, out LogQuery query)
    {
        query = new LogQuery();
        if (service is not null && !api.Manifest.Services.ContainsKey(service))
        {
            return UnknownService(service);
        }

        var errors = new Dictionary<string, string[]>();
        LineLevel? minimum = null;
        if (level is not null)
        {
            minimum = LineLevels.FromName(level);
            if (minimum is null)
            {
                errors["level"] = [$"must be one of {string.Join(", ", LineLevels.Names)} (got \"{level}\")"];
            }
        }

        if (!Since.TryParse(since, api.Time, out var from, out var sinceError))
        {
            errors["since"] = [sinceError!];
        }

        if (!Since.TryParse(until, api.Time, out var to, out var untilError))
        {
            errors["until"] = [untilError!];
        }

        System.Text.RegularExpressions.Regex? pattern = null;
        if (!string.IsNullOrEmpty(grep))
        {
            try
            {
                pattern = LogQuery.Grep(grep);
            }
            catch (ArgumentException e)
            {
                errors["grep"] = [$"is not a valid regular expression: {e.Message}"];
            }
            catch (NotSupportedException e)
            {
                errors["grep"] = [$"uses a construct that cannot run in linear time (backreferences, lookarounds): {e.Message}"];
            }
        }

        var count = from is null ? defaultLimit : Math.Max(defaultLimit, LogQuery.DefaultLimit);
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > LogQuery.MaxLimit))
        {
            errors["limit"] = [$"must be a whole number between 1 and {LogQuery.MaxLimit} (got \"{limit}\")"];
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        query = new LogQuery
        {
            Service = service,
            Revision = string.IsNullOrEmpty(revision) ? null : revision,
            Instance = string.IsNullOrEmpty(instance) ? null : instance,
            Level = minimum,
            Since = from,
            Until = to,
            Pattern = pattern,
            Limit = count,
        };
        return null;
    }
}
