using System.CommandLine;
using Slipway.Cli.Client;
using Slipway.Server.Api.Contracts;

namespace Slipway.Cli;

/// <summary><c>slipway restart SERVICE</c>: a rolling restart, one instance at a time; returns when done.</summary>
internal static class RestartCommand
{
    public static Command Create(CliOutput output)
    {
        var service = new Argument<string>("SERVICE") { Description = "The service whose instances to replace." };
        var command = new Command("restart", "Replace a service's instances one at a time, each ready before the next.") { service };
        var api = new ApiOptions();
        ClientVerb.SetAction(command, api, output, async (parsed, client) =>
        {
            var name = parsed.GetValue(service)!;
            var result = await client.SendAsync<RestartResponse>(HttpMethod.Post, $"api/v1/services/{Uri.EscapeDataString(name)}/restart").ConfigureAwait(false);
            if (api.Json(parsed))
            {
                ClientVerb.WriteJson(output, result);
            }

            if (result.NotReady.Count > 0)
            {
                await output.Error.WriteLineAsync($"slipway: {name} restarted, but not ready in time: {string.Join(", ", result.NotReady)} (see `slipway events --service {name}`)").ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            if (!api.Json(parsed))
            {
                await output.Out.WriteLineAsync($"{name}: restarted").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
