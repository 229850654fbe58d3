using System.CommandLine;
using Slipway.Cli.Client;

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
            var result = await client.SendAsync(HttpMethod.Post, $"api/v1/services/{Uri.EscapeDataString(name)}/rollback", target is null ? new { } : new { to = target }).ConfigureAwait(false);
            if (api.Json(parsed))
            {
                ClientVerb.WriteJson(output, result);
                return ExitCodes.Success;
            }

            var outcome = ClientVerb.Text(result, "outcome");
            if (outcome != "-")
            {
                await output.Out.WriteLineAsync($"{name}: {ClientVerb.Text(result, "message")}; revision {ClientVerb.Text(result, "stableRevision")} takes all traffic").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var revision = ClientVerb.Text(result, "revision");
            await output.Out.WriteLineAsync($"{name}: starting version {ClientVerb.Text(result, "version")} again as revision {revision}").ConfigureAwait(false);
            return parsed.GetValue(wait)
                ? await RolloutProgress.FollowAsync(client, output, name, revision, TimeProvider.System).ConfigureAwait(false)
                : ExitCodes.Success;
        });
        return command;
    }
}
