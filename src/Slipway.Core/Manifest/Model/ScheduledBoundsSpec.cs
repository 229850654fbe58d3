using System.ComponentModel.DataAnnotations;
using Slipway.Core.Manifest.Binding;
using Slipway.Core.Primitives;
using Slipway.Core.Scheduling;

namespace Slipway.Core.Manifest.Model;

/// <summary>
/// <c>{ cron: "0 22 * * *", duration: 9h, min: 1, max: 2 }</c>: from each time <see cref="Cron"/> fires (in the
/// machine's time zone, as backup schedules) and for <see cref="Duration"/>, these bounds replace
/// <c>autoscale.min</c>/<c>max</c>; an entry that leaves one out keeps the service's.
/// </summary>
internal sealed record ScheduledBoundsSpec : IValidatedSpec
{
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(366);

    /// <summary>A date far enough back that any expression that can fire at all fires within the cron's horizon after it.</summary>
    private static readonly DateTimeOffset Reference = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Required]
    public CronExpression? Cron { get; init; }

    [Required]
    public TimeSpan Duration { get; init; }

    [Range(1, 1000)]
    public int? Min { get; init; }

    [Range(1, 1000)]
    public int? Max { get; init; }

    public void Validate(SpecContext context)
    {
        if (Cron is { } cron && cron.GetNextOccurrence(Reference, TimeZoneInfo.Utc) is null)
        {
            context.Error("cron", $"never fires (\"{cron}\" names a day no month has); these bounds would never apply");
        }

        if (Duration <= TimeSpan.Zero || Duration > MaxDuration)
        {
            context.Error("duration", $"must be longer than 0s and at most {DurationText.Format(MaxDuration)} (got {DurationText.Format(Duration)})");
        }

        if (Min is null && Max is null)
        {
            context.Error("needs `min`, `max` or both: the bounds that apply while it lasts");
        }
    }
}
