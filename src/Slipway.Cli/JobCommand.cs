using System.CommandLine;
using System.Globalization;
using Slipway.Cli.Client;
using Slipway.Control.Runtime;
using Slipway.Server.Api;
using Slipway.Server.Api.Contracts;

namespace Slipway.Cli;

/// <summary><c>slipway job run|list|history</c>: the manifest's <c>jobs:</c>, from the daemon.</summary>
internal static class JobCommand
{
    public static Command Create(CliOutput output)
    {
        var command = new Command("job", "Run a job now, list the jobs, read a job's history (jobs: in the manifest).");
        command.Subcommands.Add(Run(output));
        command.Subcommands.Add(List(output));
        command.Subcommands.Add(History(output));
        return command;
    }

    private static Command Run(CliOutput output)
    {
        var name = new Argument<string>("NAME") { Description = "The job to run." };
        var detach = new Option<bool>("--detach") { Description = "Return once the run started instead of waiting for its end." };
        var command = new Command("run", "Start a run of the job now and wait for its end; exits 1 when it fails, printing the end of its output.") { name, detach };
        var api = new ApiOptions();
        ClientVerb.SetAction(command, api, output, async (parsed, client, cancellationToken) =>
        {
            var job = parsed.GetValue(name)!;
            var run = await client.SendAsync<JobRunResponse>(HttpMethod.Post, $"api/v1/jobs/{Uri.EscapeDataString(job)}/run").ConfigureAwait(false);
            if (!api.Json(parsed))
            {
                await output.Out.WriteLineAsync($"{job}: run {run.Id} started").ConfigureAwait(false);
            }

            while (!parsed.GetValue(detach) && run.Outcome == JobOutcome.Running)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), TimeProvider.System, cancellationToken).ConfigureAwait(false);
                run = await client.GetAsync<JobRunResponse>($"api/v1/jobs/{Uri.EscapeDataString(job)}/runs/{run.Id.ToString(CultureInfo.InvariantCulture)}").ConfigureAwait(false);
            }

            if (api.Json(parsed))
            {
                ClientVerb.WriteJson(output, run);
            }
            else if (run.Outcome != JobOutcome.Running)
            {
                if (run.LogTail.Length > 0)
                {
                    await output.Out.WriteLineAsync(run.LogTail).ConfigureAwait(false);
                }

                await output.Out.WriteLineAsync($"{job}: run {run.Id} {ApiJson.Word(run.Outcome)}: {ClientVerb.Text(run.Message)}").ConfigureAwait(false);
            }

            return run.Outcome is JobOutcome.Running or JobOutcome.Succeeded ? ExitCodes.Success : ExitCodes.Failed;
        });
        return command;
    }

    private static Command List(CliOutput output)
    {
        var command = new Command("list", "Every job: schedule, next run, runs going, the newest run's outcome.");
        var api = new ApiOptions();
        ClientVerb.SetAction(command, api, output, async (parsed, client) =>
        {
            var jobs = await client.GetAsync<IReadOnlyList<JobResponse>>("api/v1/jobs").ConfigureAwait(false);
            if (api.Json(parsed))
            {
                ClientVerb.WriteJson(output, jobs);
                return ExitCodes.Success;
            }

            await Table(output, jobs).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command History(CliOutput output)
    {
        var name = new Argument<string>("NAME") { Description = "The job whose runs to show." };
        var log = new Option<long?>("--log") { Description = "Print the end of this run's output instead of the table." };
        var command = new Command("history", "A job's runs, newest first: trigger, start, end, exit code, outcome.") { name, log };
        var api = new ApiOptions();
        ClientVerb.SetAction(command, api, output, async (parsed, client) =>
        {
            var job = Uri.EscapeDataString(parsed.GetValue(name)!);
            if (parsed.GetValue(log) is { } id)
            {
                var run = await client.GetAsync<JobRunResponse>($"api/v1/jobs/{job}/runs/{id.ToString(CultureInfo.InvariantCulture)}").ConfigureAwait(false);
                if (api.Json(parsed))
                {
                    ClientVerb.WriteJson(output, run);
                }
                else
                {
                    await output.Out.WriteLineAsync(run.LogTail).ConfigureAwait(false);
                }

                return ExitCodes.Success;
            }

            var runs = await client.GetAsync<IReadOnlyList<JobRunResponse>>($"api/v1/jobs/{job}/runs").ConfigureAwait(false);
            if (api.Json(parsed))
            {
                ClientVerb.WriteJson(output, runs);
                return ExitCodes.Success;
            }

            await output.Out.WriteLineAsync($"{"RUN",-6} {"TRIGGER",-9} {"STARTED",-26} {"ENDED",-26} {"EXIT",-5} {"OUTCOME",-13} MESSAGE").ConfigureAwait(false);
            foreach (var r in runs)
            {
                var trigger = ApiJson.Word(r.Trigger) + (r.By is null ? "" : $" ({r.By})");
                await output.Out.WriteLineAsync($"{r.Id,-6} {trigger,-9} {ClientVerb.Text(r.Started),-26} {ClientVerb.Text(r.Ended),-26} {ClientVerb.Text(r.ExitCode),-5} {ApiJson.Word(r.Outcome),-13} {ClientVerb.Text(r.Message)}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The jobs table, shared with <c>slipway status</c>.</summary>
    public static async Task Table(CliOutput output, IReadOnlyList<JobResponse> jobs)
    {
        await output.Out.WriteLineAsync($"{"JOB",-20} {"SCHEDULE",-16} {"NEXT RUN",-26} {"RUNNING",-8} LAST RUN").ConfigureAwait(false);
        foreach (var j in jobs)
        {
            var last = j.LastRun is { } run ? $"{ApiJson.Word(run.Outcome)} (run {run.Id}, {ClientVerb.Text(run.Ended ?? run.Started)})" : "-";
            await output.Out.WriteLineAsync($"{j.Name,-20} {j.Schedule ?? "by hand",-16} {ClientVerb.Text(j.NextRun),-26} {j.Running,-8} {last}").ConfigureAwait(false);
        }
    }
}
