using System.CommandLine;
using Slipway.Cli.Client;
using Slipway.Server.Api.Contracts;

namespace Slipway.Cli;

/// <summary><c>slipway silence --match k=v --for 2h --comment ...</c>, <c>silence list</c>, <c>silence rm ID</c>.</summary>
internal static class SilenceCommand
{
    public static Command Create(CliOutput output)
    {
        var match = new Option<string[]>("--match", "-m")
        {
            Description = "LABEL=VALUE or LABEL!=VALUE; repeat for more (all must match).",
            AllowMultipleArgumentsPerToken = false,
        };
        var duration = new Option<string>("--for") { Description = "How long, e.g. 30m or 2h.", DefaultValueFactory = _ => "1h" };
        var comment = new Option<string>("--comment") { Description = "Why; shown in `silence list`.", DefaultValueFactory = _ => "" };
        var command = new Command("silence", "Mute notifications of matching alerts for a while.") { match, duration, comment };
        ClientVerb.SetAction(command, new ApiOptions(), output, async (parsed, client) =>
        {
            var matchers = parsed.GetValue(match) ?? [];
            if (matchers.Length == 0)
            {
                await output.Error.WriteLineAsync("slipway: give at least one --match LABEL=VALUE (e.g. --match service=api)").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var silence = await client.SendAsync<SilenceRequest, SilenceResponse>(HttpMethod.Post, "api/v1/silences",
                new SilenceRequest(matchers, parsed.GetValue(duration), parsed.GetValue(comment))).ConfigureAwait(false);
            await output.Out.WriteLineAsync($"silence {silence.Id} until {ClientVerb.Text(silence.EndsAt)}").ConfigureAwait(false);
            return ExitCodes.Success;
        });

        var listOptions = new ApiOptions();
        var list = new Command("list", "Silences that have not ended.");
        ClientVerb.SetAction(list, listOptions, output, async (parsed, client) =>
        {
            var silences = await client.GetAsync<IReadOnlyList<SilenceResponse>>("api/v1/silences").ConfigureAwait(false);
            if (listOptions.Json(parsed))
            {
                ClientVerb.WriteJson(output, silences);
                return ExitCodes.Success;
            }

            await output.Out.WriteLineAsync($"{"ID",-17} {"ENDS",-26} {"BY",-12} {"MATCHERS",-40} COMMENT").ConfigureAwait(false);
            foreach (var s in silences)
            {
                await output.Out.WriteLineAsync($"{s.Id,-17} {ClientVerb.Text(s.EndsAt),-26} {s.CreatedBy,-12} {ClientVerb.Text(string.Join(",", s.Matchers)),-40} {ClientVerb.Text(s.Comment)}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });

        var id = new Argument<string>("ID") { Description = "The silence to end." };
        var rm = new Command("rm", "End a silence now.") { id };
        ClientVerb.SetAction(rm, new ApiOptions(), output, async (parsed, client) =>
        {
            await client.SendAsync(HttpMethod.Delete, $"api/v1/silences/{Uri.EscapeDataString(parsed.GetValue(id)!)}").ConfigureAwait(false);
            await output.Out.WriteLineAsync($"silence {parsed.GetValue(id)} ended").ConfigureAwait(false);
            return ExitCodes.Success;
        });

        command.Subcommands.Add(list);
        command.Subcommands.Add(rm);
        return command;
    }
}
