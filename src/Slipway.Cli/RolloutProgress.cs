using System.Globalization;
using System.Text.Json;
using Slipway.Cli.Client;

namespace Slipway.Cli;

/// <summary>
/// Follows a rollout for <c>--wait</c>: one line each time its phase, step or split changes (not on every poll),
/// the last analysis figures with it, and the outcome at the end.
/// </summary>
internal static class RolloutProgress
{
    /// <returns>0 when the revision was promoted; 1 when it was rolled back, aborted or failed.</returns>
    public static async Task<int> FollowAsync(ApiClient client, CliOutput output, string service, string revision, TimeProvider time)
    {
        string? last = null;
        while (true)
        {
            var resource = await client.GetAsync($"api/v1/services/{Uri.EscapeDataString(service)}").ConfigureAwait(false);
            if (!resource.TryGetProperty("rollout", out var rollout) || rollout.ValueKind != JsonValueKind.Object)
            {
                await output.Error.WriteLineAsync($"slipway: the daemon no longer reports the rollout of {service} (restarted?); see `slipway history {service}`").ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            if (ClientVerb.Text(rollout, "revision") != revision)
            {
                await output.Error.WriteLineAsync($"slipway: revision {revision} of {service} was replaced by revision {ClientVerb.Text(rollout, "revision")}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            var line = Line(rollout);
            if (line != last)
            {
                await output.Out.WriteLineAsync(line).ConfigureAwait(false);
                last = line;
            }

            if (rollout.TryGetProperty("outcome", out var outcome) && outcome.ValueKind == JsonValueKind.String)
            {
                var promoted = outcome.GetString() == "promoted";
                var message = $"{service}: revision {revision} {outcome.GetString()}: {ClientVerb.Text(rollout, "message")}";
                await (promoted ? output.Out : output.Error).WriteLineAsync(message).ConfigureAwait(false);
                return promoted ? ExitCodes.Success : ExitCodes.Failed;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), time).ConfigureAwait(false);
        }
    }

    /// <summary><c>  canary step 2/3  stable 75% · new 25%  analysis pass (120 canary / 360 stable requests)</c></summary>
    public static string Line(JsonElement rollout)
    {
        var phase = ClientVerb.Text(rollout, "phase");
        var steps = rollout.TryGetProperty("steps", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : 0;
        var step = ClientVerb.Text(rollout, "step");
        var where = steps > 0 ? $"{phase} step {step}/{steps.ToString(CultureInfo.InvariantCulture)}" : phase;
        if (rollout.TryGetProperty("paused", out var paused) && paused.ValueKind == JsonValueKind.True)
        {
            where += " (paused)";
        }

        var stable = ClientVerb.Text(rollout, "stableRevision");
        var weights = rollout.TryGetProperty("weights", out var w) && w.ValueKind == JsonValueKind.Object
            ? w.EnumerateObject().Select(p => (Revision: p.Name, Weight: p.Value.GetInt32())).ToList()
            : [];
        var total = Math.Max(1, weights.Sum(p => p.Weight));
        var split = string.Join(" · ", weights.Select(p =>
            $"rev {p.Revision}{(p.Revision == stable ? " (stable)" : "")} {(100.0 * p.Weight / total).ToString("0.#", CultureInfo.InvariantCulture)}%"));
        var analysis = "";
        if (rollout.TryGetProperty("lastAnalysis", out var a) && a.ValueKind == JsonValueKind.Object)
        {
            analysis = $"  analysis {ClientVerb.Text(a, "verdict")} ({ClientVerb.Text(a, "canaryRequests")} new / {ClientVerb.Text(a, "stableRequests")} stable requests): {ClientVerb.Text(a, "summary")}";
        }

        return $"  {where,-22} {split}{analysis}";
    }
}
