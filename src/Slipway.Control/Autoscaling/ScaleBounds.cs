using Slipway.Core.Manifest.Model;
using Slipway.Core.Primitives;

namespace Slipway.Control.Autoscaling;

/// <summary>The min and max in force, and the schedule entry that set them (null: <c>autoscale.min</c>/<c>max</c>).</summary>
internal sealed record ScaleBounds(int Min, int Max, int? Entry, DateTimeOffset? Until)
{
    /// <summary>
    /// The bounds at <paramref name="now"/>: an entry is in force from each time its cron fires (in
    /// <paramref name="zone"/>) for its duration; where several are, the last in the list wins.
    /// </summary>
    public static ScaleBounds At(AutoscaleSpec spec, DateTimeOffset now, TimeZoneInfo zone)
    {
        for (var i = spec.Schedule.Count - 1; i >= 0; i--)
        {
            var entry = spec.Schedule[i];

            // The first firing after (now - duration) is the one still in force at now, if it came before now.
            if (entry.Cron?.GetNextOccurrence(now - entry.Duration, zone) is { } fired && fired <= now)
            {
                return new ScaleBounds(entry.Min ?? spec.Min, entry.Max ?? spec.Max, i, fired + entry.Duration);
            }
        }

        return new ScaleBounds(spec.Min, spec.Max, null, null);
    }

    public override string ToString() =>
        Entry is { } entry ? $"{Min}–{Max} (autoscale.schedule[{entry}] until {Until!.Value.UtcDateTime:yyyy-MM-dd HH:mm}Z)" : $"{Min}–{Max}";

    /// <summary>How a change of bounds is told: "scheduled bounds 1–2 from autoscale.schedule[0] ("0 22 * * *" for 9h)".</summary>
    public string Describe(AutoscaleSpec spec) => Entry is { } entry
        ? $"bounds {Min}–{Max} from autoscale.schedule[{entry}] (\"{spec.Schedule[entry].Cron}\" for {DurationText.Format(spec.Schedule[entry].Duration)}, until {Until!.Value.UtcDateTime:yyyy-MM-dd HH:mm}Z)"
        : $"bounds back to autoscale.min/max {Min}–{Max}";
}
