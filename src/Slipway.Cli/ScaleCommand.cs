using System.CommandLine;
using Slipway.Cli.Client;
using Slipway.Server.Api.Contracts;

namespace Slipway.Cli;

/// <summary><c>slipway scale SERVICE REPLICAS</c>.</summary>
internal static class ScaleCommand
{
    public static Command Create(CliOutput output)
    {
        var service = new Argument<string>("SERVICE") { Description = "The service to scale." };
        var replicas = new Argument<int>("REPLICAS") { Description = "How many instances to run (0–1000)." };
        var command = new Command("scale", "Set how many instances of a service run (kept across daemon restarts).") { service, replicas };
        var api = new ApiOptions();
        ClientVerb.SetAction(command, api, output, async (parsed, client) =>
        {
            var name = parsed.GetValue(service)!;
            var result = await client.SendAsync<ScaleRequest, ScaleResponse>(HttpMethod.Post, $"api/v1/services/{Uri.EscapeDataString(name)}/scale", new ScaleRequest(parsed.GetValue(replicas)))
                .ConfigureAwait(false);
            if (api.Json(parsed))
            {
                ClientVerb.WriteJson(output, result);
                return ExitCodes.Success;
            }

            await output.Out.WriteLineAsync($"{name}: replicas {result.Before} → {result.Replicas}").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
