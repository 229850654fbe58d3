using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Slipway.Cli.Client;
using Slipway.Control.Supervision;
using Slipway.Server.Api;
using Slipway.Server.Api.Contracts;

namespace Slipway.Cli;

/// <summary><c>slipway status</c>: services, revisions, instances and health at a glance, from the daemon.</summary>
internal static class StatusCommand
{
    public static Command Create(CliOutput output)
    {
        var api = new ApiOptions();
        var command = new Command("status", "Show services, revisions, instances, health and any rollout (asks the running daemon).");
        ClientVerb.SetAction(command, api, output, async (parsed, client) =>
        {
            var services = await client.GetAsync<IReadOnlyList<ServiceResponse>>("api/v1/services").ConfigureAwait(false);
            var instances = await client.GetAsync<IReadOnlyList<InstanceStatus>>("api/v1/instances").ConfigureAwait(false);
            if (api.Json(parsed))
            {
                ClientVerb.WriteJson(output, new JsonObject
                {
                    ["services"] = JsonSerializer.SerializeToNode(services, ApiJson.Info<IReadOnlyList<ServiceResponse>>()),
                    ["instances"] = JsonSerializer.SerializeToNode(instances, ApiJson.Info<IReadOnlyList<InstanceStatus>>()),
                });
                return ExitCodes.Success;
            }

            await output.Out.WriteLineAsync($"{"SERVICE",-16} {"REVISION",-10} {"READY",-7} HEALTH").ConfigureAwait(false);
            foreach (var s in services)
            {
                await output.Out.WriteLineAsync($"{s.Name,-16} {ClientVerb.Text(s.Revision),-10} {$"{s.Ready}/{s.Replicas}",-7} {ApiJson.Word(s.Health)}").ConfigureAwait(false);
            }

            foreach (var (s, rollout) in services.Where(s => s.Rollout is not null).Select(s => (s, s.Rollout!)))
            {
                var state = rollout.Outcome is { } outcome ? $"{ApiJson.Word(outcome)}: {ClientVerb.Text(rollout.Message)}" : "in progress";
                await output.Out.WriteLineAsync().ConfigureAwait(false);
                await output.Out.WriteLineAsync($"{s.Name}: {ApiJson.Word(rollout.Strategy)} rollout of revision {rollout.Revision} (version {rollout.Version}) {state}").ConfigureAwait(false);
                await output.Out.WriteLineAsync(RolloutProgress.Line(rollout)).ConfigureAwait(false);
            }

            await output.Out.WriteLineAsync().ConfigureAwait(false);
            await output.Out.WriteLineAsync($"{"INSTANCE",-24} {"PHASE",-12} {"READY",-6} {"PID",-8} {"PORT",-6} {"RESTARTS",-8} PROBLEM").ConfigureAwait(false);
            foreach (var i in instances)
            {
                await output.Out.WriteLineAsync($"{i.Id,-24} {ApiJson.Word(i.Phase),-12} {i.Ready,-6} {ClientVerb.Text(i.Pid),-8} {i.Port,-6} {i.Restarts,-8} {ClientVerb.Text(i.LastProblem)}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
