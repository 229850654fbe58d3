using System.CommandLine;
using System.Globalization;
using Slipway.Cli.Client;

namespace Slipway.Cli;

/// <summary><c>slipway history SERVICE</c>: revisions, newest first, with outcome, duration and reason.</summary>
internal static class HistoryCommand
{
    public static Command Create(CliOutput output)
    {
        var service = new Argument<string>("SERVICE") { Description = "The service whose revisions to list." };
        var command = new Command("history", "List a service's revisions: version, when, who, why, how the rollout ended.") { service };
        var api = new ApiOptions();
        ClientVerb.SetAction(command, api, output, async (parsed, client) =>
        {
            var name = parsed.GetValue(service)!;
            var revisions = await client.GetAsync($"api/v1/services/{Uri.EscapeDataString(name)}/revisions").ConfigureAwait(false);
            if (api.Json(parsed))
            {
                ClientVerb.WriteJson(output, revisions);
                return ExitCodes.Success;
            }

            await output.Out.WriteLineAsync($"{"REV",-5} {"VERSION",-14} {"CREATED",-20} {"BY",-12} {"OUTCOME",-12} {"DURATION",-9} REASON").ConfigureAwait(false);
            foreach (var r in revisions.EnumerateArray())
            {
                var rev = ClientVerb.Text(r, "revision") + (r.GetProperty("current").GetBoolean() ? "*" : "");
                var created = r.GetProperty("created").GetDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                var duration = ClientVerb.Text(r, "durationSeconds");
                await output.Out.WriteLineAsync(
                    $"{rev,-5} {ClientVerb.Text(r, "version"),-14} {created,-20} {ClientVerb.Text(r, "createdBy"),-12} {ClientVerb.Text(r, "outcome"),-12} {(duration == "-" ? "-" : duration + "s"),-9} {ClientVerb.Text(r, "reason")}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
