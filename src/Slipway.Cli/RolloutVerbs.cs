using System.CommandLine;
using Slipway.Cli.Client;
using Slipway.Server.Api.Contracts;

namespace Slipway.Cli;

/// <summary><c>slipway promote|pause|resume|abort SERVICE</c>: one call each on the running rollout.</summary>
internal static class RolloutVerbs
{
    public static IEnumerable<Command> Create(CliOutput output) =>
    [
        Verb(output, "promote", "Promote the running canary or blue-green rollout now (skips remaining steps).", "promoting"),
        Verb(output, "pause", "Hold the running rollout where it is; analysis goes on.", "paused"),
        Verb(output, "resume", "Continue a paused rollout.", "resumed"),
        Verb(output, "abort", "End the running rollout: all traffic back on stable, the new instances drained and stopped.", "aborted"),
    ];

    private static Command Verb(CliOutput output, string verb, string description, string done)
    {
        var service = new Argument<string>("SERVICE") { Description = "The service whose rollout to act on." };
        var command = new Command(verb, description) { service };
        var api = new ApiOptions();
        ClientVerb.SetAction(command, api, output, async (parsed, client) =>
        {
            var name = parsed.GetValue(service)!;
            var result = await client.SendAsync<RolloutResponse>(HttpMethod.Post, $"api/v1/services/{Uri.EscapeDataString(name)}/{verb}").ConfigureAwait(false);
            if (api.Json(parsed))
            {
                ClientVerb.WriteJson(output, result);
                return ExitCodes.Success;
            }

            await output.Out.WriteLineAsync($"{name}: revision {result.Revision} {done}").ConfigureAwait(false);
            await output.Out.WriteLineAsync(RolloutProgress.Line(result)).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
