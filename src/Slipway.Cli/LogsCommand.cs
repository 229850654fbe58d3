using System.CommandLine;
using System.Text.Json;
using Slipway.Cli.Client;
using Slipway.Server.Api;
using Slipway.Server.Api.Contracts;

namespace Slipway.Cli;

/// <summary>
/// <c>slipway logs</c>: instance output across services and revisions, searched by the daemon
/// (<c>GET /api/v1/logs</c>) or followed live (<c>/api/v1/logs/stream</c>).
/// </summary>
internal static class LogsCommand
{
    public static Command Create(CliOutput output)
    {
        var api = new ApiOptions();
        var serviceArgument = new Argument<string?>("SERVICE") { Description = "Same as --service.", Arity = ArgumentArity.ZeroOrOne };
        var service = new Option<string?>("--service") { Description = "Only this service." };
        var revision = new Option<string?>("--revision") { Description = "Only this revision, e.g. 7." };
        var instance = new Option<string?>("--instance") { Description = "Only this instance, e.g. api-7-0." };
        var level = new Option<string?>("--level") { Description = "This level or worse: error, warn, info or debug." };
        level.AcceptOnlyFromAmong("error", "warn", "info", "debug");
        var since = new Option<string?>("--since") { Description = "Lines from this long ago (1h) or this time (ISO-8601) on." };
        var until = new Option<string?>("--until") { Description = "Lines before this long ago (10m) or this time (ISO-8601)." };
        var grep = new Option<string?>("--grep") { Description = "Only lines matching this regular expression (case-insensitive; JSON: any field value)." };
        var follow = new Option<bool>("--follow", "-f") { Description = "After the matching lines, keep printing new ones until Ctrl-C." };
        var limit = new Option<int?>("--limit") { Description = "At most this many lines, the newest (default 1000; with --follow, 10)." };
        var command = new Command("logs", "Search and follow instance logs across services and revisions; JSON lines shown as level and message.")
        {
            serviceArgument, service, revision, instance, level, since, until, grep, follow, limit,
        };
        ClientVerb.SetAction(command, api, output, async (parsed, client, cancellationToken) =>
        {
            var query = new List<string>();
            void Add(string name, string? value)
            {
                if (!string.IsNullOrEmpty(value))
                {
                    query.Add($"{name}={Uri.EscapeDataString(value)}");
                }
            }

            Add("service", parsed.GetValue(service) ?? parsed.GetValue(serviceArgument));
            Add("revision", parsed.GetValue(revision));
            Add("instance", parsed.GetValue(instance));
            Add("level", parsed.GetValue(level));
            Add("since", parsed.GetValue(since));
            Add("until", parsed.GetValue(until));
            Add("grep", parsed.GetValue(grep));
            var following = parsed.GetValue(follow);
            Add("limit", (parsed.GetValue(limit) ?? (following ? 10 : null))?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var json = api.Json(parsed);
            var path = (following ? "api/v1/logs/stream" : "api/v1/logs") + (query.Count > 0 ? "?" + string.Join("&", query) : "");
            if (!following)
            {
                var lines = await client.GetAsync<IReadOnlyList<LogLineResponse>>(path).ConfigureAwait(false);
                if (json)
                {
                    ClientVerb.WriteJson(output, lines);
                    return ExitCodes.Success;
                }

                foreach (var line in lines)
                {
                    await output.Out.WriteLineAsync(Display(line)).ConfigureAwait(false);
                }

                return ExitCodes.Success;
            }

            // Until the daemon ends the stream, or Ctrl-C (the verb then says it was interrupted, exit 130).
            // Followed as JSON: one object per line (JSON Lines), so a script can read it as it comes.
            await client.StreamAsync<LogLineResponse>(path, async line =>
            {
                await output.Out.WriteLineAsync(json ? JsonSerializer.Serialize(line, ApiJson.Info<LogLineResponse>()) : Display(line)).ConfigureAwait(false);
                await output.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary><c>TIME INSTANCE LEVEL message</c>; the stream is named when it is stderr.</summary>
    private static string Display(LogLineResponse line)
    {
        var stream = line.Stream == "stderr" ? " [stderr]" : "";
        return $"{line.Time.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ} {ClientVerb.Text(line.Instance)}{stream} {ApiJson.Word(line.Level).ToUpperInvariant(),-5} {ClientVerb.Text(line.Message)}";
    }
}
