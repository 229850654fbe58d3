using Slipway.Core.Scheduling;

namespace Slipway.Core.Tests.Scheduling;

/// <summary>
/// The fast field-by-field search against a brute-force reference that just walks the clock minute by minute,
/// on random expressions whose meaning <see cref="RandomCron"/> works out independently of the parser.
/// Seeds are fixed so a failure reproduces; the message names the expression and the start.
/// </summary>
public sealed class CronExpressionPropertyTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Fact]
    public void GetNextOccurrence_Utc_AgreesWithMinuteByMinuteReference()
    {
        var random = new Random(7001);
        const int ReferenceDays = 3 * 366;
        for (var i = 0; i < 3000; i++)
        {
            var expression = RandomCron.Next(random, dayWeight: 0.6);
            var cron = CronExpression.Parse(expression.Text);
            var after = RandomInstant(random, new DateTime(2020, 1, 1), new DateTime(2030, 1, 1));
            var horizon = after.AddDays(ReferenceDays);

            var expected = ReferenceUtc(expression, after, horizon);
            var actual = cron.GetNextOccurrence(after, TimeZoneInfo.Utc);

            if (expected is null)
            {
                Assert.True(actual is null || actual > horizon, $"\"{expression}\" after {after:O}: reference found none by {horizon:O}, got {actual:O}");
            }
            else
            {
                Assert.True(expected == actual, $"\"{expression}\" after {after:O}: expected {expected:O}, got {actual:O}");
            }
        }
    }

    [Fact]
    public void GetNextOccurrence_BerlinAroundTransitions_AgreesWithMinuteByMinuteReference()
    {
        var random = new Random(7002);
        DateTime[] transitions =
        [
            new(2025, 3, 30, 1, 0, 0), new(2025, 10, 26, 1, 0, 0),
            new(2026, 3, 29, 1, 0, 0), new(2026, 10, 25, 1, 0, 0),
            new(2027, 3, 28, 1, 0, 0), new(2027, 10, 31, 1, 0, 0),
        ];
        int landedAfterGap = 0, inSecondPass = 0;
        for (var i = 0; i < 4000; i++)
        {
            var expression = RandomCron.Next(random, dayWeight: 0.15, hoursUpTo: random.Next(2) == 0 ? 4 : 23);
            var cron = CronExpression.Parse(expression.Text);
            var transition = transitions[random.Next(transitions.Length)];
            // Most starts within about an hour of the change, where the interesting answers are.
            var after = random.Next(4) != 0
                ? RandomInstant(random, transition.AddMinutes(-90), transition.AddMinutes(60))
                : RandomInstant(random, transition.AddHours(-30), transition.AddHours(6));
            var horizon = after.AddDays(3);

            var expected = ReferenceInZone(expression, after, horizon, Berlin);
            var actual = cron.GetNextOccurrence(after, Berlin);
            if (expected is { } e && Berlin.GetUtcOffset(e) != Berlin.GetUtcOffset(e.AddTicks(-1)))
            {
                landedAfterGap += Berlin.GetUtcOffset(e) > Berlin.GetUtcOffset(e.AddTicks(-1)) ? 1 : 0;
            }

            if (expected is { } f && Berlin.IsAmbiguousTime(f) && Berlin.GetUtcOffset(f) == TimeSpan.FromHours(1))
            {
                inSecondPass++;
            }

            if (expected is null)
            {
                Assert.True(actual is null || actual > horizon, $"\"{expression}\" after {after:O}: reference found none by {horizon:O}, got {actual:O}");
            }
            else
            {
                Assert.True(expected == actual, $"\"{expression}\" after {after:O}: expected {expected:O}, got {actual:O}");
            }
        }

        // The cases that matter were drawn often enough for the comparison to mean something.
        Assert.True(landedAfterGap >= 50, $"only {landedAfterGap} answers at the end of a spring-forward gap");
        Assert.True(inSecondPass >= 50, $"only {inSecondPass} answers in the second pass of a repeated hour");
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
    private static DateTimeOffset RandomInstant(Random random, DateTime from, DateTime to)
    {
        var ticks = random.NextInt64(from.Ticks, to.Ticks);
        if (random.Next(2) == 0)
        {
            ticks -= ticks % TimeSpan.TicksPerMinute;
        }

        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }
}
