using System.CommandLine;
using Slipway.Cli.Client;
using Slipway.Server.Api;
using Slipway.Server.Api.Contracts;

namespace Slipway.Cli;

/// <summary><c>slipway deploy SERVICE --version V [--wait] [--force] [--reason TEXT]</c>.</summary>
internal static class DeployCommand
{
    public static Command Create(CliOutput output)
    {
        var service = new Argument<string>("SERVICE") { Description = "The service to deploy." };
        var version = new Option<string>("--version") { Description = "The version to deploy (fills ${VERSION} in the service's run spec).", Required = true };
        var wait = new Option<bool>("--wait") { Description = "Follow the rollout until it ends, a blue-green warm period included; exit 1 unless it was promoted." };
        var force = new Option<bool>("--force") { Description = "Abort a running rollout of the service first, and deploy outside deploy windows (audited)." };
        var reason = new Option<string?>("--reason") { Description = "Why, kept with the revision (`slipway history`)." };
        var command = new Command("deploy", "Deploy a version of a service as a new revision, with the strategy its manifest names.") { service, version, wait, force, reason };
        var api = new ApiOptions();
        ClientVerb.SetAction(command, api, output, async (parsed, client) =>
        {
            var name = parsed.GetValue(service)!;
            var result = await client.SendAsync<DeployRequest, RolloutResponse>(HttpMethod.Post, $"api/v1/services/{Uri.EscapeDataString(name)}/deploy",
                new DeployRequest(parsed.GetValue(version), parsed.GetValue(force), parsed.GetValue(reason))).ConfigureAwait(false);
            if (api.Json(parsed) && !parsed.GetValue(wait))
            {
                ClientVerb.WriteJson(output, result);
                return ExitCodes.Success;
            }

            await output.Out.WriteLineAsync($"{name}: deploying version {result.Version} as revision {result.Revision} ({ApiJson.Word(result.Strategy)}, replacing revision {result.StableRevision})").ConfigureAwait(false);
            return parsed.GetValue(wait)
                ? await RolloutProgress.FollowAsync(client, output, name, result.Revision, TimeProvider.System).ConfigureAwait(false)
                : ExitCodes.Success;
        });
        return command;
    }
}
