using System.Globalization;
using System.Text.Json;
using Slipway.Cli.Client;

namespace Slipway.Cli;

/// <summary>
/// Follows a rollout for <c>--wait</c> (<see cref="RolloutFollower"/> decides): one line each time its phase, step or
/// split changes (not on every poll), the last analysis figures with it, and the outcome at the end.
/// </summary>
internal static class RolloutProgress
{
    /// <returns>0 when the revision was promoted and, for blue-green, came through its warm period; 1 when it was rolled back, aborted or failed.</returns>
    public static async Task<int> FollowAsync(ApiClient client, CliOutput output, string service, string revision, TimeProvider time)
    {
        var follower = new RolloutFollower(service, revision);
        while (true)
        {
            var exit = follower.Next(await client.GetAsync($"api/v1/services/{Uri.EscapeDataString(service)}").ConfigureAwait(false));
            foreach (var (error, text) in follower.Output)
            {
                await (error ? output.Error : output.Out).WriteLineAsync(text).ConfigureAwait(false);
            }

            if (exit is { } code)
            {
                return code;
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
