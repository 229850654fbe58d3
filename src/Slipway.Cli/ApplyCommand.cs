using System.CommandLine;
using Slipway.Cli.Client;
using Slipway.Control.Apply;
using Slipway.Server.Api;
using Slipway.Server.Api.Contracts;

namespace Slipway.Cli;

/// <summary><c>slipway apply FILE [--yes] [--force]</c>: show what would change against the running daemon, ask, apply.</summary>
internal static class ApplyCommand
{
    public static Command Create(CliOutput output)
    {
        var file = new Argument<string>("FILE") { Description = "The manifest to apply." };
        var yes = new Option<bool>("--yes", "-y") { Description = "Apply without asking (for CI)." };
        var force = new Option<bool>("--force") { Description = "Abort rollouts in the way and deploy outside deploy windows (audited)." };
        var command = new Command("apply", "Show how FILE differs from what runs (like kubectl diff), then apply it: changed run specs roll out as new revisions.") { file, yes, force };
        var api = new ApiOptions { ImpliedFile = parsed => parsed.GetValue(file) };
        ClientVerb.SetAction(command, api, output, async (parsed, client, cancellationToken) =>
        {
            var path = parsed.GetValue(file)!;
            if (CliManifest.Load(output, path) is null)
            {
                return ExitCodes.Usage;
            }

            var body = new ApplyRequest(await File.ReadAllTextAsync(path).ConfigureAwait(false), Path.GetFileName(path), Force: parsed.GetValue(force));
            var plan = await client.SendAsync<ApplyRequest, ApplyPlanResponse>(HttpMethod.Post, "api/v1/apply/plan", body).ConfigureAwait(false);
            var json = api.Json(parsed);
            if (!json)
            {
                await WritePlanAsync(output.Out, plan).ConfigureAwait(false);
            }

            if (plan.NothingToDo)
            {
                if (json)
                {
                    ClientVerb.WriteJson(output, plan);
                }

                return ExitCodes.Success;
            }

            if (!parsed.GetValue(yes))
            {
                if (!output.CanAsk)
                {
                    await output.Error.WriteLineAsync("slipway: not applied: stdin is not a terminal, so there is no one to ask; pass --yes to apply").ConfigureAwait(false);
                    return ExitCodes.Failed;
                }

                await output.Out.WriteAsync("Apply these changes? [y/N] ").ConfigureAwait(false);
                await output.Out.FlushAsync().ConfigureAwait(false);
                // A blocked read of the terminal ignores tokens: Ctrl-C stops the wait for the answer, and nothing is applied.
                var answer = (await Task.Run(output.In.ReadLine, CancellationToken.None).WaitAsync(cancellationToken).ConfigureAwait(false))?.Trim();
                if (!string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) && !string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase))
                {
                    await output.Out.WriteLineAsync("not applied").ConfigureAwait(false);
                    return ExitCodes.Failed;
                }
            }

            var applied = await client.SendAsync<ApplyRequest, ApplyPlanResponse>(HttpMethod.Post, "api/v1/apply", body with { Fingerprint = plan.Fingerprint })
                .ConfigureAwait(false);
            if (json)
            {
                ClientVerb.WriteJson(output, applied);
                return ExitCodes.Success;
            }

            foreach (var line in applied.Done)
            {
                await output.Out.WriteLineAsync(line).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// One block per action: a sign (+ start, - stop, ~ change, ! needs a restart), what happens, then each changed
    /// value (as the daemon masked it); what only an admin may change is marked <c>[admin]</c>.
    /// </summary>
    private static async Task WritePlanAsync(TextWriter output, ApplyPlanResponse plan)
    {
        if (plan.Actions.Count == 0)
        {
            await output.WriteLineAsync("no changes: what runs matches the manifest").ConfigureAwait(false);
            return;
        }

        foreach (var action in plan.Actions)
        {
            var sign = action.Kind switch { ApplyActionKind.Start => "+", ApplyActionKind.Stop => "-", ApplyActionKind.NeedsRestart => "!", _ => "~" };
            await output.WriteLineAsync($"{sign} {action.Target}: {ApiJson.Word(action.Kind)}: {ClientVerb.Text(action.Detail)}{Admin(action.Role)}").ConfigureAwait(false);
            foreach (var field in action.Fields)
            {
                await output.WriteLineAsync($"    {ClientVerb.Text(field.Path)}: {ClientVerb.Text(field.Before ?? "(none)")} → {ClientVerb.Text(field.After ?? "(none)")}{Admin(field.Role)}").ConfigureAwait(false);
            }
        }

        if (plan.NothingToDo)
        {
            await output.WriteLineAsync("nothing to apply now: the changes above take effect at the next `slipway up`").ConfigureAwait(false);
        }
        else if (plan.Role == ApplyRole.Admin)
        {
            await output.WriteLineAsync("changes marked [admin] need an admin token; a deployer's apply of them is refused").ConfigureAwait(false);
        }
    }

    private static string Admin(ApplyRole role) => role == ApplyRole.Admin ? " [admin]" : "";
}
