using CsCheck;
using Slipway.Core.Scheduling;

namespace Slipway.Core.Tests.Scheduling;

/// <summary>
/// The fast field-by-field search against a brute-force reference that just walks the clock minute by minute,
/// on random expressions whose meaning <see cref="RandomCron"/> works out independently of the parser.
/// A failure shrinks to a simpler expression and start; the message names them and the seed that reproduces it.
/// </summary>
public sealed class CronExpressionPropertyTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Fact]
    public void GetNextOccurrence_Utc_AgreesWithMinuteByMinuteReference()
    {
        const int ReferenceDays = 3 * 366;
        Gen.Select(RandomCron.Generate(dayWeight: 0.6), Instant(new DateTime(2020, 1, 1), new DateTime(2030, 1, 1))).Sample(
            (expression, after) =>
            {
                var cron = CronExpression.Parse(expression.Text);
                var horizon = after.AddDays(ReferenceDays);

                var expected = ReferenceUtc(expression, after, horizon);
                var actual = cron.GetNextOccurrence(after, TimeZoneInfo.Utc);

                AssertAgrees(expression, after, horizon, expected, actual);
            },
            iter: 3000);
    }

    [Fact]
    public void GetNextOccurrence_BerlinAroundTransitions_AgreesWithMinuteByMinuteReference()
    {
        DateTime[] transitions =
        [
            new(2025, 3, 30, 1, 0, 0), new(2025, 10, 26, 1, 0, 0),
            new(2026, 3, 29, 1, 0, 0), new(2026, 10, 25, 1, 0, 0),
            new(2027, 3, 28, 1, 0, 0), new(2027, 10, 31, 1, 0, 0),
        ];
        var expressions = Gen.OneOf(4, 23).SelectMany(hoursUpTo => RandomCron.Generate(dayWeight: 0.15, hoursUpTo));
        // Most starts within about an hour of the change, where the interesting answers are.
        var starts = Gen.OneOf(transitions).SelectMany(transition => Gen.Frequency(
            (3, Instant(transition.AddMinutes(-90), transition.AddMinutes(60))),
            (1, Instant(transition.AddHours(-30), transition.AddHours(6)))));
        int landedAfterGap = 0, inSecondPass = 0;

        Gen.Select(expressions, starts).Sample(
            (expression, after) =>
            {
                var cron = CronExpression.Parse(expression.Text);
                var horizon = after.AddDays(3);

                var expected = ReferenceInZone(expression, after, horizon, Berlin);
                var actual = cron.GetNextOccurrence(after, Berlin);
                if (expected is { } e && Berlin.GetUtcOffset(e) > Berlin.GetUtcOffset(e.AddTicks(-1)))
                {
                    Interlocked.Increment(ref landedAfterGap);
                }

                if (expected is { } f && Berlin.IsAmbiguousTime(f) && Berlin.GetUtcOffset(f) == TimeSpan.FromHours(1))
                {
                    Interlocked.Increment(ref inSecondPass);
                }

                AssertAgrees(expression, after, horizon, expected, actual);
            },
            iter: 4000);

        // The cases that matter were drawn often enough for the comparison to mean something.
        Assert.True(landedAfterGap >= 50, $"only {landedAfterGap} answers at the end of a spring-forward gap");
        Assert.True(inSecondPass >= 50, $"only {inSecondPass} answers in the second pass of a repeated hour");
    }

    private static void AssertAgrees(RandomCron expression, DateTimeOffset after, DateTimeOffset horizon, DateTimeOffset? expected, DateTimeOffset? actual)
    {
        if (expected is null)
        {
            Assert.True(actual is null || actual > horizon, $"\"{expression}\" after {after:O}: reference found none by {horizon:O}, got {actual:O}");
        }
        else
        {
            Assert.True(expected == actual, $"\"{expression}\" after {after:O}: expected {expected:O}, got {actual:O}");
        }
    }

    // Every minute from the one after `after`; a day that cannot match is skipped whole (still one minute at a time in spirit, just faster).
    private static DateTimeOffset? ReferenceUtc(RandomCron expression, DateTimeOffset after, DateTimeOffset horizon)
    {
        var t = FirstWholeMinuteAfter(after);
        while (t <= horizon)
        {
            if (!expression.DayMatches(t.UtcDateTime))
            {
                t = new DateTimeOffset(t.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
                continue;
            }

            if (expression.Matches(t.UtcDateTime))
            {
                return t;
            }

            t = t.AddMinutes(1);
        }

        return null;
    }

    // Walks real instants a minute at a time and applies the rules as a person would state them:
    // fire when the wall clock shows a matching time; when the clock jumps forward, fire on landing if any
    // skipped time matched; when it shows a time the second time, fire only for wildcard minute/hour jobs.
    private static DateTimeOffset? ReferenceInZone(RandomCron expression, DateTimeOffset after, DateTimeOffset horizon, TimeZoneInfo zone)
    {
        var start = FirstWholeMinuteAfter(after);
        var wall = start.UtcDateTime.AddMinutes(-1) + zone.GetUtcOffset(start.AddMinutes(-1));
        for (var t = start; t <= horizon; t = t.AddMinutes(1))
        {
            var previousWall = wall;
            wall = t.UtcDateTime + zone.GetUtcOffset(t);
            if (wall - previousWall > TimeSpan.FromMinutes(1))
            {
                for (var skipped = previousWall.AddMinutes(1); skipped <= wall; skipped = skipped.AddMinutes(1))
                {
                    if (expression.Matches(skipped))
                    {
                        return t;
                    }
                }

                continue;
            }

            if (!expression.Matches(wall))
            {
                continue;
            }

            var secondPass = zone.IsAmbiguousTime(t) && zone.GetUtcOffset(t) == zone.GetAmbiguousTimeOffsets(t).Min();
            if (!secondPass || expression.IsInterval)
            {
                return t;
            }
        }

        return null;
    }

    private static DateTimeOffset FirstWholeMinuteAfter(DateTimeOffset after)
    {
        var ticks = after.UtcTicks - (after.UtcTicks % TimeSpan.TicksPerMinute) + TimeSpan.TicksPerMinute;
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    // Half the starts on a whole minute (the usual case: after = the last firing), half anywhere.
    private static Gen<DateTimeOffset> Instant(DateTime from, DateTime to) =>
        Gen.Select(Gen.Long[from.Ticks, to.Ticks - 1], Gen.Bool, (ticks, wholeMinute) =>
            new DateTimeOffset(wholeMinute ? ticks - (ticks % TimeSpan.TicksPerMinute) : ticks, TimeSpan.Zero));
}
