using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Autoscaling;

/// <summary>
/// One service's recent recommendations and scale events, and the HorizontalPodAutoscaler's normalization with
/// behaviours (horizontal.go, normalizeDesiredReplicasWithBehaviors): stabilize (no higher than the lowest
/// recommendation of the scale-up window, no lower than the highest of the scale-down window), then limit the
/// change by each direction's policies over their periods, then keep within min and max. Times are given, so it is
/// driven by a manual clock in tests. Not thread-safe: one service's loop owns it.
/// </summary>
internal sealed class ScalingBehavior
{
    private readonly List<(DateTimeOffset Time, int Replicas)> _recommendations = [];
    private readonly List<ScaleEvent> _up = [];
    private readonly List<ScaleEvent> _down = [];

    /// <summary>
    /// The first look records the current count as a recommendation (recordInitialRecommendation), so a service
    /// that starts under low load does not scale down before a whole stabilization window has passed.
    /// </summary>
    public void Start(DateTimeOffset now, int currentReplicas)
    {
        if (_recommendations.Count == 0)
        {
            _recommendations.Add((now, currentReplicas));
        }
    }

    /// <returns>The replicas to have, and what held the proposal back (null when nothing did).</returns>
    public (int Replicas, string? Limited) Normalize(DateTimeOffset now, int current, int proposed, int min, int max, ScalingRules up, ScalingRules down)
    {
        var stabilized = Stabilize(now, current, proposed, up, down);
        var limited = stabilized != proposed
            ? stabilized > proposed ? $"held at {stabilized} by the highest recommendation of the last {Window(down)}" : $"held at {stabilized} by the lowest recommendation of the last {Window(up)}"
            : null;
        if (stabilized > current)
        {
            var limit = Math.Max(current, UpLimit(now, current, up));
            var allowed = Math.Min(max, limit);
            if (stabilized > allowed)
            {
                return (allowed, allowed == max && limit >= max ? $"at autoscale max {max}" : $"limited by the scale-up policies ({string.Join(", ", up.Policies)}, {Select(up)})");
            }
        }
        else if (stabilized < current)
        {
            var limit = Math.Min(current, DownLimit(now, current, down));
            var allowed = Math.Max(min, limit);
            if (stabilized < allowed)
            {
                return (allowed, allowed == min && limit <= min ? $"at autoscale min {min}" : $"limited by the scale-down policies ({string.Join(", ", down.Policies)}, {Select(down)})");
            }
        }

        return (stabilized, limited);
    }

    /// <summary>A change that was carried out, counted against the policies of its direction (storeScaleEvent).</summary>
    public void Record(DateTimeOffset now, int before, int after, ScalingRules up, ScalingRules down)
    {
        if (after == before)
        {
            return;
        }

        var events = after > before ? _up : _down;
        var longest = after > before ? up.LongestPeriod : down.LongestPeriod;
        var change = new ScaleEvent(now, Math.Abs(after - before));
        var outdated = events.FindIndex(e => e.Time < now - longest);
        if (outdated >= 0)
        {
            events[outdated] = change;
        }
        else
        {
            events.Add(change);
        }

        events.RemoveAll(e => e != change && e.Time < now - longest);
    }

    /// <summary>stabilizeRecommendationWithBehaviors: records the proposal and brings it within the windows' bounds.</summary>
    private int Stabilize(DateTimeOffset now, int current, int proposed, ScalingRules up, ScalingRules down)
    {
        var upCutoff = now - up.Stabilization;
        var downCutoff = now - down.Stabilization;
        var upRecommendation = proposed;
        var downRecommendation = proposed;
        foreach (var (time, replicas) in _recommendations)
        {
            if (time > upCutoff)
            {
                upRecommendation = Math.Min(upRecommendation, replicas);
            }

            if (time > downCutoff)
            {
                downRecommendation = Math.Max(downRecommendation, replicas);
            }
        }

        var recommendation = Math.Min(Math.Max(current, upRecommendation), downRecommendation);
        _recommendations.RemoveAll(r => r.Time < upCutoff && r.Time < downCutoff);
        _recommendations.Add((now, proposed));
        return recommendation;
    }

    /// <summary>calculateScaleUpLimitWithScalingRules: the most (or, with selectPolicy min, the fewest) the policies allow.</summary>
    private int UpLimit(DateTimeOffset now, int current, ScalingRules rules)
    {
        if (rules.Select == SelectPolicy.Disabled)
        {
            return current;
        }

        var result = rules.Select == SelectPolicy.Min ? int.MaxValue : int.MinValue;
        foreach (var policy in rules.Policies)
        {
            var periodStart = current - Changed(_up, now, policy.Period) + Changed(_down, now, policy.Period);
            var proposed = policy.Percent ? (int)Math.Ceiling(periodStart * (1 + policy.Value / 100.0)) : periodStart + policy.Value;
            result = rules.Select == SelectPolicy.Min ? Math.Min(result, proposed) : Math.Max(result, proposed);
        }

        return result;
    }

    /// <summary>calculateScaleDownLimitWithBehaviors: the fewest (or, with selectPolicy min, the most) the policies allow.</summary>
    private int DownLimit(DateTimeOffset now, int current, ScalingRules rules)
    {
        if (rules.Select == SelectPolicy.Disabled)
        {
            return current;
        }

        var result = rules.Select == SelectPolicy.Min ? int.MinValue : int.MaxValue;
        foreach (var policy in rules.Policies)
        {
            var periodStart = current - Changed(_up, now, policy.Period) + Changed(_down, now, policy.Period);
            var proposed = policy.Percent ? (int)(periodStart * (1 - policy.Value / 100.0)) : periodStart - policy.Value;
            result = rules.Select == SelectPolicy.Min ? Math.Max(result, proposed) : Math.Min(result, proposed);
        }

        return result;
    }

    /// <summary>getReplicasChangePerPeriod: replicas changed within the last <paramref name="period"/>.</summary>
    private static int Changed(List<ScaleEvent> events, DateTimeOffset now, TimeSpan period) =>
        events.Where(e => e.Time > now - period).Sum(e => e.Change);

    private static string Window(ScalingRules rules) => Core.Primitives.DurationText.Format(rules.Stabilization);

    private static string Select(ScalingRules rules) => $"selectPolicy {rules.Select.ToString().ToLowerInvariant()}";

    private sealed record ScaleEvent(DateTimeOffset Time, int Change);
}
