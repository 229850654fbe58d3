using System.CommandLine;
using Slipway.Cli.Client;
using Slipway.Server.Api.Contracts;

namespace Slipway.Cli;

/// <summary><c>slipway rollback SERVICE [--to REVISION] [--wait]</c>.</summary>
internal static class RollbackCommand
{
    public static Command Create(CliOutput output)
    {
        var service = new Argument<string>("SERVICE") { Description = "The service to roll back." };
        var to = new Option<string?>("--to") { Description = "The revision to return to (default: the one before the current; `slipway history` lists them)." };
        var wait = new Option<bool>("--wait") { Description = "When the revision is not warm and starts afresh, follow it until it takes traffic." };
        var command = new Command("rollback", "Return a service to an earlier revision: instant while it is still warm, else a fast start of it.") { service, to, wait };
        var api = new ApiOptions();
        ClientVerb.SetAction(command, api, output, async (parsed, client) =>
        {
            var name = parsed.GetValue(service)!;
            var target = parsed.GetValue(to);
            var result = await client.SendAsync<RollbackRequest, RolloutResponse>(HttpMethod.Post, $"api/v1/services/{Uri.EscapeDataString(name)}/rollback", new RollbackRequest(target))
                .ConfigureAwait(false);
            if (api.Json(parsed))
            {
                ClientVerb.WriteJson(output, result);
                return ExitCodes.Success;
            }

            if (result.Outcome is not null)
            {
                await output.Out.WriteLineAsync($"{name}: {ClientVerb.Text(result.Message)}; revision {result.StableRevision} takes all traffic").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await output.Out.WriteLineAsync($"{name}: starting version {result.Version} again as revision {result.Revision}").ConfigureAwait(false);
            return parsed.GetValue(wait)
                ? await RolloutProgress.FollowAsync(client, output, name, result.Revision, TimeProvider.System).ConfigureAwait(false)
                : ExitCodes.Success;
        });
        return command;
    }
}
