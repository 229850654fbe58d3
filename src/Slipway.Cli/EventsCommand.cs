using System.CommandLine;
using System.Text.Json;
using Slipway.Cli.Client;
using Slipway.Control.State;
using Slipway.Server.Api;

namespace Slipway.Cli;

/// <summary><c>slipway events</c>: the timeline from the daemon (<c>GET /api/v1/events</c>), or new events live with <c>--follow</c>.</summary>
internal static class EventsCommand
{
    public static Command Create(CliOutput output)
    {
        var api = new ApiOptions();
        var service = new Option<string?>("--service") { Description = "Only this service's events." };
        var since = new Option<string?>("--since") { Description = "Events from this long ago (1h) or this time (ISO-8601) on." };
        var limit = new Option<int?>("--limit") { Description = "At most this many, the latest (default 200)." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Print new events as they happen until Ctrl-C (past events are not printed)." };
        var command = new Command("events", "Print what happened: starts, exits, restarts, probe results, stops.") { service, since, limit, follow };
        ClientVerb.SetAction(command, api, output, async (parsed, client, cancellationToken) =>
        {
            var query = new List<string>();
            if (parsed.GetValue(service) is { Length: > 0 } name)
            {
                query.Add("service=" + Uri.EscapeDataString(name));
            }

            var json = api.Json(parsed);
            if (parsed.GetValue(follow))
            {
                var path = "api/v1/events/stream" + (query.Count > 0 ? "?" + string.Join("&", query) : "");
                // Until the daemon ends the stream, or Ctrl-C (the verb then says it was interrupted, exit 130).
                await client.StreamAsync<EventRecord>(path, async e =>
                {
                    await output.Out.WriteLineAsync(json ? JsonSerializer.Serialize(e, ApiJson.Info<EventRecord>()) : Display(e)).ConfigureAwait(false);
                    await output.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
                }, cancellationToken).ConfigureAwait(false);

                return ExitCodes.Success;
            }

            if (parsed.GetValue(since) is { Length: > 0 } from)
            {
                query.Add("since=" + Uri.EscapeDataString(from));
            }

            query.Add("limit=" + (parsed.GetValue(limit) ?? 200).ToString(System.Globalization.CultureInfo.InvariantCulture));
            var events = await client.GetAsync<IReadOnlyList<EventRecord>>("api/v1/events?" + string.Join("&", query)).ConfigureAwait(false);
            if (json)
            {
                ClientVerb.WriteJson(output, events);
                return ExitCodes.Success;
            }

            foreach (var e in events)
            {
                await output.Out.WriteLineAsync(Display(e)).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static string Display(EventRecord e) =>
        $"{e.Time.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ} {e.Service,-12} {ClientVerb.Text(e.Instance),-20} {e.Kind,-14} {ClientVerb.Text(e.Message)}";
}
