using System.CommandLine;
using System.Globalization;
using Slipway.Cli.Client;
using Slipway.Server.Api.Contracts;

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
            var revisions = await client.GetAsync<IReadOnlyList<RevisionResponse>>($"api/v1/services/{Uri.EscapeDataString(name)}/revisions").ConfigureAwait(false);
            if (api.Json(parsed))
            {
                ClientVerb.WriteJson(output, revisions);
                return ExitCodes.Success;
            }

            await output.Out.WriteLineAsync($"{"REV",-5} {"VERSION",-14} {"CREATED",-20} {"BY",-12} {"OUTCOME",-12} {"DURATION",-9} REASON").ConfigureAwait(false);
            foreach (var r in revisions)
            {
                var rev = r.Revision + (r.Current ? "*" : "");
                var created = r.Created.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                var duration = r.DurationSeconds is { } seconds ? seconds.ToString(CultureInfo.InvariantCulture) + "s" : "-";
                await output.Out.WriteLineAsync(
                    $"{rev,-5} {r.Version,-14} {created,-20} {ClientVerb.Text(r.CreatedBy),-12} {ClientVerb.Text(r.Outcome),-12} {duration,-9} {ClientVerb.Text(r.Reason)}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
