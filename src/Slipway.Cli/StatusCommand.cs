using System.CommandLine;
using Slipway.Cli.Client;

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
            var services = await client.GetAsync("api/v1/services").ConfigureAwait(false);
            var instances = await client.GetAsync("api/v1/instances").ConfigureAwait(false);
            if (api.Json(parsed))
            {
                ClientVerb.WriteJson(output, System.Text.Json.JsonSerializer.SerializeToElement(new { services, instances }));
                return ExitCodes.Success;
            }

            await output.Out.WriteLineAsync($"{"SERVICE",-16} {"REVISION",-10} {"READY",-7} HEALTH").ConfigureAwait(false);
            foreach (var s in services.EnumerateArray())
            {
                var ready = $"{ClientVerb.Text(s, "ready")}/{ClientVerb.Text(s, "replicas")}";
                await output.Out.WriteLineAsync($"{ClientVerb.Text(s, "name"),-16} {ClientVerb.Text(s, "revision"),-10} {ready,-7} {ClientVerb.Text(s, "health")}").ConfigureAwait(false);
            }

            foreach (var s in services.EnumerateArray().Where(s => s.TryGetProperty("rollout", out var r) && r.ValueKind == System.Text.Json.JsonValueKind.Object))
            {
                var rollout = s.GetProperty("rollout");
                var state = ClientVerb.Text(rollout, "outcome") is var outcome && outcome != "-" ? $"{outcome}: {ClientVerb.Text(rollout, "message")}" : "in progress";
                await output.Out.WriteLineAsync().ConfigureAwait(false);
                await output.Out.WriteLineAsync($"{ClientVerb.Text(s, "name")}: {ClientVerb.Text(rollout, "strategy")} rollout of revision {ClientVerb.Text(rollout, "revision")} (version {ClientVerb.Text(rollout, "version")}) {state}").ConfigureAwait(false);
                await output.Out.WriteLineAsync(RolloutProgress.Line(rollout)).ConfigureAwait(false);
            }

            await output.Out.WriteLineAsync().ConfigureAwait(false);
            await output.Out.WriteLineAsync($"{"INSTANCE",-24} {"PHASE",-12} {"READY",-6} {"PID",-8} {"PORT",-6} {"RESTARTS",-8} PROBLEM").ConfigureAwait(false);
            foreach (var i in instances.EnumerateArray())
            {
                await output.Out.WriteLineAsync($"{ClientVerb.Text(i, "id"),-24} {ClientVerb.Text(i, "phase"),-12} {ClientVerb.Text(i, "ready"),-6} {ClientVerb.Text(i, "pid"),-8} {ClientVerb.Text(i, "port"),-6} {ClientVerb.Text(i, "restarts"),-8} {ClientVerb.Text(i, "lastProblem")}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
