using System.Globalization;
using Slipway.Cli.Client;
using Slipway.Server.Api;
using Slipway.Server.Api.Contracts;

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
            var exit = follower.Next(await client.GetAsync<ServiceDetailResponse>($"api/v1/services/{Uri.EscapeDataString(service)}").ConfigureAwait(false));
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
    public static string Line(RolloutResponse rollout)
    {
        var phase = ApiJson.Word(rollout.Phase);
        var where = rollout.Steps > 0 ? $"{phase} step {rollout.Step}/{rollout.Steps}" : phase;
        if (rollout.Paused)
        {
            where += " (paused)";
        }

        var total = Math.Max(1, rollout.Weights.Values.Sum());
        var split = string.Join(" · ", rollout.Weights.Select(p =>
            $"rev {p.Key}{(p.Key == rollout.StableRevision ? " (stable)" : "")} {(100.0 * p.Value / total).ToString("0.#", CultureInfo.InvariantCulture)}%"));
        var analysis = "";
        if (rollout.LastAnalysis is { } a)
        {
            analysis = $"  analysis {ApiJson.Word(a.Verdict)} ({a.CanaryRequests} new / {a.StableRequests} stable requests): {a.Summary}";
        }

        return $"  {where,-22} {split}{analysis}";
    }
}
