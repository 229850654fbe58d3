using System.ComponentModel;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Slipway.Control.State;
using Slipway.Server.Api.Contracts;
using Slipway.Server.Api.OpenApi;
using Slipway.Server.Auth;

namespace Slipway.Server.Api;

/// <summary>Events: the stored timeline, and a live stream of new ones.</summary>
internal static partial class ApiEndpoints
{
    private static void MapEvents(RouteGroupBuilder v1, ApiContext api, CancellationToken stopping)
    {
        v1.MapGet("/events", Results<Ok<IReadOnlyList<EventRecord>>, ProblemHttpResult> (
                [Description("Only this service's events.")] string? service,
                [Description("Only events from this long ago (10m) or this time (ISO-8601) on.")] string? since,
                [Description("At most this many, the latest (1–100000, default 1000).")] string? limit) =>
            {
                var errors = new Dictionary<string, string[]>();
                if (!Since.TryParse(since, api.Time, out var from, out var sinceError))
                {
                    errors["since"] = [sinceError!];
                }

                var count = 1000;
                if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > 100_000))
                {
                    errors["limit"] = [$"must be a whole number between 1 and 100000 (got \"{limit}\")"];
                }

                if (service is not null && !api.Manifest.Services.ContainsKey(service))
                {
                    return UnknownService(service);
                }

                if (errors.Count > 0)
                {
                    return Problems.Invalid(errors);
                }

                return TypedResults.Ok<IReadOnlyList<EventRecord>>([.. api.Store.Events(service, count).Where(e => from is null || e.Time >= from)]);
            })
            .Role(ApiRole.Viewer)
            .WithSummary("Events, oldest first.");

        v1.MapGet("/events/stream", async ([Description("Only this service's events.")] string? service, HttpContext context) =>
            {
                if (service is not null && !api.Manifest.Services.ContainsKey(service))
                {
                    await UnknownService(service).ExecuteAsync(context).ConfigureAwait(false);
                    return;
                }

                var channel = Channel.CreateBounded<EventRecord>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });
                void OnRecorded(EventRecord e)
                {
                    if (service is null || e.Service == service)
                    {
                        channel.Writer.TryWrite(e);
                    }
                }

                // Subscribed before the headers go out: a client that acts once it sees them misses nothing after.
                api.Supervisor.Journal.Recorded += OnRecorded;
                try
                {
                    await StreamAsync(api, context, stopping, async token =>
                    {
                        await foreach (var e in channel.Reader.ReadAllAsync(token).ConfigureAwait(false))
                        {
                            await ServerSentEvents.WriteAsync(context, e, ApiJsonContext.Default.EventRecord, token).ConfigureAwait(false);
                        }
                    }).ConfigureAwait(false);
                }
                finally
                {
                    api.Supervisor.Journal.Recorded -= OnRecorded;
                }
            })
            .Role(ApiRole.Viewer)
            .WithSummary("Each new event as it happens; ends (event: end, with the reason) when the token is revoked or the stream is 24h old. At most 10 per token (429) and 100 in all (503).")
            .ProducesEvents<EventRecord>();
    }
}
