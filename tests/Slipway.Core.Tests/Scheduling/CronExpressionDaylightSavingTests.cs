using Slipway.Core.Scheduling;
using static Slipway.Core.Tests.Scheduling.CronExpressionTests;

namespace Slipway.Core.Tests.Scheduling;

/// <summary>
/// Europe/Berlin, 2026: clocks go 02:00 CET → 03:00 CEST at 01:00Z on 29 March, and 03:00 CEST → 02:00 CET
/// at 01:00Z on 25 October, so 02:00-02:59 is skipped in March and shown twice in October.
/// </summary>
public sealed class CronExpressionDaylightSavingTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Fact]
    public void Berlin_TimeZoneData_IsAvailableWithInvariantGlobalization()
    {
        Assert.True(Berlin.SupportsDaylightSavingTime);
        Assert.Equal(TimeSpan.FromHours(1), Berlin.GetUtcOffset(Instant("2026-03-29T00:59:59Z")));
        Assert.Equal(TimeSpan.FromHours(2), Berlin.GetUtcOffset(Instant("2026-03-29T01:00:00Z")));
        Assert.Equal(TimeSpan.FromHours(2), Berlin.GetUtcOffset(Instant("2026-10-25T00:59:59Z")));
        Assert.Equal(TimeSpan.FromHours(1), Berlin.GetUtcOffset(Instant("2026-10-25T01:00:00Z")));
    }

    [Theory]
    // A time of day inside the gap fires at the end of the gap (03:00 CEST), then resumes next day.
    [InlineData("30 2 * * *", "2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z")]
    [InlineData("30 2 * * *", "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z")]
    [InlineData("0 2 * * *", "2026-03-28T23:00:00Z", "2026-03-29T01:00:00Z")]
    [InlineData("59 2 * * *", "2026-03-28T23:00:00Z", "2026-03-29T01:00:00Z")]
    // Just before and after the gap: ordinary.
    [InlineData("59 1 * * *", "2026-03-28T23:00:00Z", "2026-03-29T00:59:00Z")]
    [InlineData("0 3 * * *", "2026-03-29T00:30:00Z", "2026-03-29T01:00:00Z")]
    [InlineData("1 3 * * *", "2026-03-29T00:30:00Z", "2026-03-29T01:01:00Z")]
    // Every 15 minutes: 02:00..02:45 collapse onto one firing at 03:00, then 03:15.
    [InlineData("*/15 * * * *", "2026-03-29T00:50:00Z", "2026-03-29T01:00:00Z")]
    [InlineData("*/15 * * * *", "2026-03-29T01:00:00Z", "2026-03-29T01:15:00Z")]
    // Summer offsets afterwards.
    [InlineData("0 12 * * *", "2026-03-29T01:00:00Z", "2026-03-29T10:00:00Z")]
    public void GetNextOccurrence_SpringForward_SkippedTimesFireAtEndOfGap(string expression, string after, string expected)
    {
        var next = CronExpression.Parse(expression).GetNextOccurrence(Instant(after), Berlin);

        Assert.Equal(Instant(expected), next);
    }

    [Fact]
    public void GetNextOccurrence_SpringForward_ResultCarriesSummerOffset()
    {
        var next = CronExpression.Parse("30 2 * * *").GetNextOccurrence(Instant("2026-03-29T00:00:00Z"), Berlin);

        Assert.Equal(TimeSpan.FromHours(2), next!.Value.Offset);
        Assert.Equal(new DateTime(2026, 3, 29, 3, 0, 0), next.Value.DateTime);
    }

    [Theory]
    // A time of day in the repeated hour fires once, in the first pass (CEST)...
    [InlineData("30 2 * * *", "2026-10-24T22:00:00Z", "2026-10-25T00:30:00Z")]
    // ...and not again in the second pass (CET) but the next day.
    [InlineData("30 2 * * *", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z")]
    [InlineData("15 2 * * *", "2026-10-25T00:30:00Z", "2026-10-26T01:15:00Z")]
    [InlineData("0 2 * * *", "2026-10-25T01:10:00Z", "2026-10-26T01:00:00Z")]
    [InlineData("45 2 * * *", "2026-10-25T00:10:00Z", "2026-10-25T00:45:00Z")]
    [InlineData("45 2 * * *", "2026-10-25T01:10:00Z", "2026-10-26T01:45:00Z")]
    [InlineData("0 3 * * *", "2026-10-25T00:30:00Z", "2026-10-25T02:00:00Z")]
    [InlineData("0 2,3 * * *", "2026-10-25T00:00:00Z", "2026-10-25T02:00:00Z")]
    // Jobs with a wildcard minute or hour keep their rhythm through both passes.
    [InlineData("*/30 * * * *", "2026-10-25T00:00:00Z", "2026-10-25T00:30:00Z")]
    [InlineData("*/30 * * * *", "2026-10-25T00:30:00Z", "2026-10-25T01:00:00Z")]
    [InlineData("*/30 * * * *", "2026-10-25T01:00:00Z", "2026-10-25T01:30:00Z")]
    [InlineData("*/30 * * * *", "2026-10-25T01:30:00Z", "2026-10-25T02:00:00Z")]
    [InlineData("30 * * * *", "2026-10-24T23:30:00Z", "2026-10-25T00:30:00Z")]
    [InlineData("30 * * * *", "2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z")]
    [InlineData("30 * * * *", "2026-10-25T01:30:00Z", "2026-10-25T02:30:00Z")]
    [InlineData("15 * * * *", "2026-10-25T00:30:00Z", "2026-10-25T01:15:00Z")]
    [InlineData("0 */2 * * *", "2026-10-25T00:10:00Z", "2026-10-25T01:00:00Z")]
    [InlineData("* 2 * * *", "2026-10-25T00:59:00Z", "2026-10-25T01:00:00Z")]
    public void GetNextOccurrence_FallBack_TimeOfDayOnceIntervalsTwice(string expression, string after, string expected)
    {
        var next = CronExpression.Parse(expression).GetNextOccurrence(Instant(after), Berlin);

        Assert.Equal(Instant(expected), next);
    }

    [Fact]
    public void GetNextOccurrence_FallBack_DailyJobFiresExactlyOnceThatDay()
    {
        var firings = Run("30 2 * * *", Instant("2026-10-24T12:00:00Z"), Instant("2026-10-26T12:00:00Z"));

        Assert.Equal([Instant("2026-10-25T00:30:00Z"), Instant("2026-10-26T01:30:00Z")], firings);
    }

    [Fact]
    public void GetNextOccurrence_FallBack_EveryFifteenMinutesHasNoHoleAndNoRepeat()
    {
        var firings = Run("*/15 * * * *", Instant("2026-10-24T23:50:00Z"), Instant("2026-10-25T02:10:00Z"));

        var expected = Enumerable.Range(0, 9).Select(i => Instant("2026-10-25T00:00:00Z").AddMinutes(15 * i)).ToList();
        Assert.Equal(expected, firings);
    }

    [Fact]
    public void GetNextOccurrence_SpringForward_EveryFifteenMinutesFiresOnceAtThree()
    {
        var firings = Run("*/15 * * * *", Instant("2026-03-29T00:20:00Z"), Instant("2026-03-29T01:20:00Z"));

        Assert.Equal([Instant("2026-03-29T00:30:00Z"), Instant("2026-03-29T00:45:00Z"), Instant("2026-03-29T01:00:00Z"), Instant("2026-03-29T01:15:00Z")], firings);
    }

    [Fact]
    public void GetNextOccurrence_DailyJobAcrossAYear_FiresEveryDayAtWallTime()
    {
        var firings = Run("0 2 * * *", Instant("2026-01-01T00:00:00Z"), Instant("2027-01-01T00:00:00Z"));

        Assert.Equal(365, firings.Count);
        Assert.All(firings, f =>
        {
            var local = TimeZoneInfo.ConvertTime(f, Berlin);
            // On 29 March 02:00 does not exist and the job runs at 03:00 instead.
            Assert.Equal(local.Date == new DateTime(2026, 3, 29) ? 3 : 2, local.Hour);
            Assert.Equal(0, local.Minute);
        });
    }

    private static List<DateTimeOffset> Run(string expression, DateTimeOffset from, DateTimeOffset until)
    {
        var cron = CronExpression.Parse(expression);
        var firings = new List<DateTimeOffset>();
        for (var next = cron.GetNextOccurrence(from, Berlin); next is { } n && n <= until; next = cron.GetNextOccurrence(n, Berlin))
        {
            firings.Add(n);
        }

        return firings;
    }
}
