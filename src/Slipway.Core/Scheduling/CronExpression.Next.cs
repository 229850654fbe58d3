using System.Numerics;

namespace Slipway.Core.Scheduling;

/// <summary>Finding the next occurrence, including across daylight-saving changes.</summary>
/// <remarks>
/// The search runs on wall-clock time in the zone, field by field (month, day, hour, minute), jumping to the
/// next allowed value with bit operations, so a far-off date costs a few dozen steps, not a minute-by-minute scan.
/// The wall-clock time found is then placed on the timeline:
/// <list type="bullet">
/// <item>A time the clock skips (spring forward, 02:30 in Berlin on the last Sunday of March) fires at the
/// first instant after the gap (03:00 CEST), once, however many skipped times matched: the job is late, not lost.</item>
/// <item>A time the clock shows twice (fall back, 02:30 on the last Sunday of October) fires once, in the
/// first pass, for a job at a time of day. A job whose minute or hour field starts with <c>*</c> (every 15
/// minutes, every hour) also fires in the second pass, so it keeps its rhythm in real time.</item>
/// </list>
/// This is the behaviour of Vixie cron and Cronos.
/// </remarks>
internal sealed partial class CronExpression
{
    /// <summary>How far ahead to look before deciding an expression never fires. The longest gap a satisfiable
    /// expression can have is 40 years (29 February on a given weekday, around 2100), so null means never.</summary>
    private const int HorizonYears = 50;

    /// <summary>The first time strictly after <paramref name="after"/> that the schedule fires in
    /// <paramref name="zone"/>, with that zone's offset; null when it never fires (<c>0 0 30 2 *</c>).</summary>
    public DateTimeOffset? GetNextOccurrence(DateTimeOffset after, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (_never || after.UtcDateTime.Year >= DateTime.MaxValue.Year - 1)
        {
            return null;
        }

        var lastYear = Math.Min(after.UtcDateTime.Year + HorizonYears, DateTime.MaxValue.Year - 1);
        var offset = zone.GetUtcOffset(after);
        var from = NextMinute(after.UtcDateTime + offset);
        if (zone.IsAmbiguousTime(after))
        {
            var inRepeatedHour = NextInRepeatedPeriod(after, offset, from, zone, lastYear, out var resumeAt);
            if (inRepeatedHour is not null)
            {
                return inRepeatedHour;
            }

            from = resumeAt;
        }

        var wall = NextWallTime(from, lastYear);
        if (wall is not { } w)
        {
            return null;
        }

        if (zone.IsInvalidTime(w))
        {
            return EndOfGap(w, zone);
        }

        if (zone.IsAmbiguousTime(w))
        {
            // Reached from before the change: the first pass comes first, and it has the larger offset.
            return new DateTimeOffset(w, Max(zone.GetAmbiguousTimeOffsets(w)));
        }

        return new DateTimeOffset(w, zone.GetUtcOffset(w));
    }

    // `after` is inside a repeated period. Looks for an occurrence before the period ends and otherwise
    // says where the ordinary search resumes (the wall-clock end of the period).
    private DateTimeOffset? NextInRepeatedPeriod(DateTimeOffset after, TimeSpan offset, DateTime from, TimeZoneInfo zone, int lastYear, out DateTime resumeAt)
    {
        var offsets = zone.GetAmbiguousTimeOffsets(after);
        var earlier = Max(offsets); // offset during the first pass
        var later = Min(offsets);   // offset during the second pass
        var firstPass = offset == earlier;
        var change = firstPass
            ? FirstInstantWithOtherOffset(zone, after, after + (earlier - later), earlier)
            : FirstInstantWithOtherOffset(zone, after - (earlier - later), after, earlier);
        var periodStart = change.UtcDateTime + later;
        var periodEnd = change.UtcDateTime + earlier;
        resumeAt = periodEnd;

        if (firstPass && NextWallTime(from, lastYear) is { } first && first < periodEnd)
        {
            return new DateTimeOffset(first, earlier);
        }

        if (_isInterval && NextWallTime(firstPass ? periodStart : from, lastYear) is { } second && second < periodEnd)
        {
            return new DateTimeOffset(second, later);
        }

        return null;
    }

    // The first matching wall-clock minute at or after `from`, or null past the end of `lastYear`.
    private DateTime? NextWallTime(DateTime from, int lastYear)
    {
        int year = from.Year, month = from.Month, day = from.Day, hour = from.Hour, minute = from.Minute;
        while (year <= lastYear)
        {
            var nextMonth = NextBit(_months, month, 12);
            if (nextMonth < 0)
            {
                (year, month, day, hour, minute) = (year + 1, 1, 1, 0, 0);
                continue;
            }

            if (nextMonth != month)
            {
                (month, day, hour, minute) = (nextMonth, 1, 0, 0);
            }

            var nextDay = NextDay(year, month, day);
            if (nextDay < 0)
            {
                (month, day, hour, minute) = (month + 1, 1, 0, 0);
                if (month > 12)
                {
                    (year, month) = (year + 1, 1);
                }

                continue;
            }

            if (nextDay != day)
            {
                (day, hour, minute) = (nextDay, 0, 0);
            }

            var nextHour = NextBit(_hours, hour, 23);
            if (nextHour < 0)
            {
                (day, hour, minute) = (day + 1, 0, 0);
                continue;
            }

            if (nextHour != hour)
            {
                (hour, minute) = (nextHour, 0);
            }

            var nextMinute = NextBit(_minutes, minute, 59);
            if (nextMinute < 0)
            {
                (hour, minute) = (hour + 1, 0);
                continue;
            }

            return new DateTime(year, month, day, hour, nextMinute, 0, DateTimeKind.Unspecified);
        }

        return null;
    }

    private int NextDay(int year, int month, int day)
    {
        var daysInMonth = DateTime.DaysInMonth(year, month);
        if (day > daysInMonth)
        {
            return -1;
        }

        var dayOfWeek = (int)new DateTime(year, month, day).DayOfWeek;
        for (; day <= daysInMonth; day++, dayOfWeek = (dayOfWeek + 1) % 7)
        {
            var domMatches = (_daysOfMonth & (1UL << day)) != 0;
            var dowMatches = (_daysOfWeek & (1UL << dayOfWeek)) != 0;
            if (_dayOfMonthStar || _dayOfWeekStar ? domMatches && dowMatches : domMatches || dowMatches)
            {
                return day;
            }
        }

        return -1;
    }

    private static int NextBit(ulong mask, int from, int max)
    {
        if (from > max)
        {
            return -1;
        }

        var rest = mask >> from;
        return rest == 0 ? -1 : from + BitOperations.TrailingZeroCount(rest);
    }

    private static DateTime NextMinute(DateTime wall) =>
        new DateTime(wall.Ticks - (wall.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Unspecified).AddMinutes(1);

    // `wall` is skipped by a spring-forward change: the answer is the instant of that change. It is the first
    // instant whose wall-clock reading is past `wall`; readings only rise across it within a day either side,
    // because a fall-back that crossed `wall` would have made `wall` repeated, not skipped.
    private static DateTimeOffset EndOfGap(DateTime wall, TimeZoneInfo zone)
    {
        var low = wall.Ticks - TimeSpan.TicksPerDay;  // reading before `wall`
        var high = wall.Ticks + TimeSpan.TicksPerDay; // reading after `wall`
        while (high - low > 1)
        {
            var middle = low + ((high - low) / 2);
            var instant = new DateTimeOffset(middle, TimeSpan.Zero);
            if (middle + zone.GetUtcOffset(instant).Ticks > wall.Ticks)
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }

        var change = new DateTimeOffset(high, TimeSpan.Zero);
        return change.ToOffset(zone.GetUtcOffset(change));
    }

    // The first instant in (low, high] whose offset is not `before`; the offset at `low` is `before` and at `high` is not.
    private static DateTimeOffset FirstInstantWithOtherOffset(TimeZoneInfo zone, DateTimeOffset low, DateTimeOffset high, TimeSpan before)
    {
        long lowTicks = low.UtcTicks, highTicks = high.UtcTicks;
        while (highTicks - lowTicks > 1)
        {
            var middle = lowTicks + ((highTicks - lowTicks) / 2);
            if (zone.GetUtcOffset(new DateTimeOffset(middle, TimeSpan.Zero)) == before)
            {
                lowTicks = middle;
            }
            else
            {
                highTicks = middle;
            }
        }

        return new DateTimeOffset(highTicks, TimeSpan.Zero);
    }

    private static TimeSpan Max(TimeSpan[] offsets) => offsets[0] > offsets[1] ? offsets[0] : offsets[1];

    private static TimeSpan Min(TimeSpan[] offsets) => offsets[0] < offsets[1] ? offsets[0] : offsets[1];
}
