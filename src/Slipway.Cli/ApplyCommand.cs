using System.CommandLine;
using System.Text.Json;
using Slipway.Cli.Client;
using Slipway.Core.Manifest;

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
        ClientVerb.SetAction(command, api, output, async (parsed, client) =>
        {
            var path = parsed.GetValue(file)!;
            var loaded = ManifestLoader.LoadFile(path);
            if (!loaded.IsValid)
            {
                foreach (var error in loaded.FormattedErrors)
                {
                    await output.Error.WriteLineAsync(error).ConfigureAwait(false);
                }

                return ExitCodes.Usage;
            }

            var body = new { manifest = await File.ReadAllTextAsync(path).ConfigureAwait(false), file = Path.GetFileName(path), force = parsed.GetValue(force) };
            var plan = await client.SendAsync(HttpMethod.Post, "api/v1/apply/plan", body).ConfigureAwait(false);
            var json = api.Json(parsed);
            if (!json)
            {
                await WritePlanAsync(output.Out, plan).ConfigureAwait(false);
            }

            if (plan.GetProperty("nothingToDo").GetBoolean())
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
                var answer = (await output.In.ReadLineAsync().ConfigureAwait(false))?.Trim();
                if (!string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) && !string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase))
                {
                    await output.Out.WriteLineAsync("not applied").ConfigureAwait(false);
                    return ExitCodes.Failed;
                }
            }

            var applied = await client.SendAsync(HttpMethod.Post, "api/v1/apply",
                new { body.manifest, body.file, body.force, fingerprint = plan.GetProperty("fingerprint").GetString() }).ConfigureAwait(false);
            if (json)
            {
                ClientVerb.WriteJson(output, applied);
                return ExitCodes.Success;
            }

            foreach (var line in applied.GetProperty("done").EnumerateArray())
            {
                await output.Out.WriteLineAsync(line.GetString()).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>One block per action: a sign (+ start, - stop, ~ change, ! needs a restart), what happens, then each changed value.</summary>
    private static async Task WritePlanAsync(TextWriter output, JsonElement plan)
    {
        var actions = plan.GetProperty("actions");
        if (actions.GetArrayLength() == 0)
        {
            await output.WriteLineAsync("no changes: what runs matches the manifest").ConfigureAwait(false);
            return;
        }

        foreach (var action in actions.EnumerateArray())
        {
            var kind = action.GetProperty("kind").GetString();
            var sign = kind switch { "start" => "+", "stop" => "-", "needs-restart" => "!", _ => "~" };
            await output.WriteLineAsync($"{sign} {action.GetProperty("target").GetString()}: {kind}: {action.GetProperty("detail").GetString()}").ConfigureAwait(false);
            foreach (var field in action.GetProperty("fields").EnumerateArray())
            {
                await output.WriteLineAsync($"    {field.GetProperty("path").GetString()}: {Value(field, "before")} → {Value(field, "after")}").ConfigureAwait(false);
            }
        }

        if (plan.GetProperty("nothingToDo").GetBoolean())
        {
            await output.WriteLineAsync("nothing to apply now: the changes above take effect at the next `slipway up`").ConfigureAwait(false);
        }
    }

    private static string Value(JsonElement field, string name) =>
        field.GetProperty(name) is { ValueKind: JsonValueKind.String } value ? value.GetString()! : "(none)";
}
