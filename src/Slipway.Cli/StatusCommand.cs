using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Slipway.Cli.Client;
using Slipway.Control.Autoscaling;
using Slipway.Control.Supervision;
using Slipway.Core.Primitives;
using Slipway.Server.Api;
using Slipway.Server.Api.Contracts;

namespace Slipway.Cli;

/// <summary><c>slipway status</c>: services, revisions, instances, health and jobs at a glance, from the daemon.</summary>
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
            var jobs = await client.GetAsync<IReadOnlyList<JobResponse>>("api/v1/jobs").ConfigureAwait(false);
            if (api.Json(parsed))
            {
                ClientVerb.WriteJson(output, new JsonObject
                {
                    ["services"] = JsonSerializer.SerializeToNode(services, ApiJson.Info<IReadOnlyList<ServiceResponse>>()),
                    ["instances"] = JsonSerializer.SerializeToNode(instances, ApiJson.Info<IReadOnlyList<InstanceStatus>>()),
                    ["jobs"] = JsonSerializer.SerializeToNode(jobs, ApiJson.Info<IReadOnlyList<JobResponse>>()),
                });
                return ExitCodes.Success;
            }

            await output.Out.WriteLineAsync($"{"SERVICE",-16} {"REVISION",-10} {"READY",-7} {"HEALTH",-14} ADDRESS").ConfigureAwait(false);
            foreach (var s in services)
            {
                await output.Out.WriteLineAsync($"{s.Name,-16} {ClientVerb.Text(s.Revision),-10} {$"{s.Ready}/{s.Replicas}",-7} {ApiJson.Word(s.Health),-14} {s.Address ?? ""}".TrimEnd()).ConfigureAwait(false);
            }

            foreach (var (s, autoscale) in services.Where(s => s.Autoscale is not null).Select(s => (s, s.Autoscale!)))
            {
                await output.Out.WriteLineAsync().ConfigureAwait(false);
                await output.Out.WriteLineAsync(AutoscaleLine(s.Name, autoscale)).ConfigureAwait(false);
            }

            foreach (var (s, rollout) in services.Where(s => s.Rollout is not null).Select(s => (s, s.Rollout!)))
            {
                await output.Out.WriteLineAsync().ConfigureAwait(false);
                await output.Out.WriteLineAsync(RolloutHeading(s.Name, rollout)).ConfigureAwait(false);
                await output.Out.WriteLineAsync(RolloutProgress.Line(rollout)).ConfigureAwait(false);
            }

            await output.Out.WriteLineAsync().ConfigureAwait(false);
            await output.Out.WriteLineAsync($"{"INSTANCE",-24} {"PHASE",-12} {"READY",-6} {"PID",-8} {"PORT",-6} {"RESTARTS",-8} {"CPU",-12} {"MEMORY",-16} PROBLEM").ConfigureAwait(false);
            foreach (var i in instances)
            {
                await output.Out.WriteLineAsync($"{i.Id,-24} {ApiJson.Word(i.Phase),-12} {i.Ready,-6} {ClientVerb.Text(i.Pid),-8} {i.Port,-6} {i.Restarts,-8} {Cpu(i),-12} {Memory(i),-16} {ClientVerb.Text(i.LastProblem)}").ConfigureAwait(false);
            }

            if (jobs.Count > 0)
            {
                await output.Out.WriteLineAsync().ConfigureAwait(false);
                await JobCommand.Table(output, jobs).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// "api: canary rollout of revision 2 (version 2) held at 50% until an analysis passes: not judged yet: 7 of 20 requests":
    /// how it ended, or while it runs why it waits (the daemon's message), else "in progress".
    /// </summary>
    internal static string RolloutHeading(string service, RolloutResponse rollout)
    {
        var state = rollout.Outcome is { } outcome ? $"{ApiJson.Word(outcome)}: {ClientVerb.Text(rollout.Message)}" : rollout.Message ?? "in progress";
        return $"{service}: {ApiJson.Word(rollout.Strategy)} rollout of revision {rollout.Revision} (version {rollout.Version}) {state}";
    }

    /// <summary>"api: autoscale 2–10, 3 → 5: cpu 82%/70%, rps 412/200 per instance".</summary>
    internal static string AutoscaleLine(string service, AutoscaleStatus autoscale)
    {
        var metrics = string.Join(", ", autoscale.Metrics.Select(m => m.Current is { } current
            ? $"{m.Name} {Number(current)}{(m.Unit == "percent" ? "%" : "")}/{Number(m.Target)}{(m.Unit == "percent" ? "%" : " per instance")}"
            : $"{m.Name} unreadable"));
        var counts = autoscale.Desired == autoscale.Current ? $"{autoscale.Current} replicas" : $"{autoscale.Current} → {autoscale.Desired} replicas";
        return $"{service}: autoscale {autoscale.Min}–{autoscale.Max}{(autoscale.Schedule is null ? "" : " by schedule")}, {counts}"
            + (metrics.Length == 0 ? "" : $": {metrics}")
            + (autoscale.Held is { } held ? $"; held: {held}" : autoscale.Limited is { } limited ? $"; {limited}" : "");
    }

    /// <summary>"45%" of a core, "45%/50%" against <c>resources.cpu</c>.</summary>
    private static string Cpu(InstanceStatus instance) => instance.Pid is null ? "-"
        : Number(instance.CpuPercent) + "%" + (instance.CpuLimit is { } cores ? "/" + Number(cores * 100) + "%" : "");

    private static string Memory(InstanceStatus instance) => instance.Pid is null ? "-"
        : new ByteSize(instance.ResidentBytes) + (instance.MemoryLimit is { } limit ? "/" + new ByteSize(limit) : "");

    private static string Number(double value) => value.ToString(value >= 100 ? "0" : "0.#", System.Globalization.CultureInfo.InvariantCulture);
}
