using System.Globalization;
using Slipway.Core.Scheduling;

namespace Slipway.Core.Tests.Scheduling;

public sealed class CronExpressionTests
{
    // Thursday.
    private const string NewYear = "2026-01-01T00:00:00Z";

    [Theory]
    // Every feature, from a known instant, in UTC.
    [InlineData("* * * * *", NewYear, "2026-01-01T00:01:00Z")]
    [InlineData("* * * * *", "2026-01-01T00:00:30Z", "2026-01-01T00:01:00Z")]
    [InlineData("*/15 * * * *", NewYear, "2026-01-01T00:15:00Z")]
    [InlineData("*/15 * * * *", "2026-01-01T00:45:00Z", "2026-01-01T01:00:00Z")]
    [InlineData("10-50/10 * * * *", "2026-01-01T00:10:00Z", "2026-01-01T00:20:00Z")]
    [InlineData("10-50/10 * * * *", "2026-01-01T00:50:00Z", "2026-01-01T01:10:00Z")]
    [InlineData("5,35 * * * *", "2026-01-01T00:06:00Z", "2026-01-01T00:35:00Z")]
    [InlineData("0 * * * *", NewYear, "2026-01-01T01:00:00Z")]
    [InlineData("0 9-17 * * *", "2026-01-01T17:00:00Z", "2026-01-02T09:00:00Z")]
    [InlineData("0 */6 * * *", "2026-01-01T06:00:00Z", "2026-01-01T12:00:00Z")]
    [InlineData("0 0 1 * *", NewYear, "2026-02-01T00:00:00Z")]
    [InlineData("0 0 31 * *", NewYear, "2026-01-31T00:00:00Z")]
    [InlineData("0 0 31 * *", "2026-01-31T00:00:00Z", "2026-03-31T00:00:00Z")]
    [InlineData("0 0 1 JAN *", NewYear, "2027-01-01T00:00:00Z")]
    [InlineData("0 12 * JAN,JUL *", "2026-01-31T12:00:00Z", "2026-07-01T12:00:00Z")]
    [InlineData("0 0 1 jun-aug *", NewYear, "2026-06-01T00:00:00Z")]
    [InlineData("0 0 1 */4 *", "2026-01-01T00:00:00Z", "2026-05-01T00:00:00Z")]
    [InlineData("30 9 * * MON-FRI", NewYear, "2026-01-01T09:30:00Z")]
    [InlineData("30 9 * * MON-FRI", "2026-01-02T10:00:00Z", "2026-01-05T09:30:00Z")]
    [InlineData("30 9 * * mon-fri", "2026-01-02T10:00:00Z", "2026-01-05T09:30:00Z")]
    [InlineData("0 0 * * MON-FRI/2", "2026-01-05T00:00:00Z", "2026-01-07T00:00:00Z")]
    [InlineData("0 0 * * 0", NewYear, "2026-01-04T00:00:00Z")]
    [InlineData("0 0 * * 7", NewYear, "2026-01-04T00:00:00Z")]
    [InlineData("0 0 * * SUN", NewYear, "2026-01-04T00:00:00Z")]
    [InlineData("0 0 * * 5-7", "2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z")]
    [InlineData("0 0 * * 5-7", "2026-01-04T00:00:00Z", "2026-01-09T00:00:00Z")]
    [InlineData("59 23 31 12 *", "2026-12-31T23:59:00Z", "2027-12-31T23:59:00Z")]
    [InlineData("0 0 29 2 *", NewYear, "2028-02-29T00:00:00Z")]
    [InlineData("0 0 29 2 *", "2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z")]
    [InlineData("0 0 29 2 *", "2096-03-01T00:00:00Z", "2104-02-29T00:00:00Z")]
    // Day-of-month and day-of-week both restricted: either matches (Vixie).
    [InlineData("0 0 13 * FRI", NewYear, "2026-01-02T00:00:00Z")]
    [InlineData("0 0 13 * FRI", "2026-01-09T00:00:00Z", "2026-01-13T00:00:00Z")]
    [InlineData("0 0 13 * FRI", "2026-01-13T00:00:00Z", "2026-01-16T00:00:00Z")]
    [InlineData("0 0 1,15 * MON", "2026-01-05T00:00:00Z", "2026-01-12T00:00:00Z")]
    [InlineData("0 0 1,15 * MON", "2026-01-12T00:00:00Z", "2026-01-15T00:00:00Z")]
    [InlineData("0 0 1-31 * MON", NewYear, "2026-01-02T00:00:00Z")]
    // One of them starts with '*': both must match (Vixie's DOM_STAR/DOW_STAR).
    [InlineData("0 0 */2 * MON", NewYear, "2026-01-05T00:00:00Z")]
    [InlineData("0 0 */2 * MON", "2026-01-05T00:00:00Z", "2026-01-19T00:00:00Z")]
    [InlineData("0 0 13 * */1", NewYear, "2026-01-13T00:00:00Z")]
    [InlineData("0 0 29 2 */7", NewYear, "2032-02-29T00:00:00Z")]
    // Aliases.
    [InlineData("@hourly", NewYear, "2026-01-01T01:00:00Z")]
    [InlineData("@daily", NewYear, "2026-01-02T00:00:00Z")]
    [InlineData("@midnight", NewYear, "2026-01-02T00:00:00Z")]
    [InlineData("@weekly", NewYear, "2026-01-04T00:00:00Z")]
    [InlineData("@monthly", NewYear, "2026-02-01T00:00:00Z")]
    [InlineData("@yearly", NewYear, "2027-01-01T00:00:00Z")]
    [InlineData("@annually", NewYear, "2027-01-01T00:00:00Z")]
    [InlineData("@DAILY", NewYear, "2026-01-02T00:00:00Z")]
    // Strictly after, whatever the sub-minute part.
    [InlineData("30 9 * * *", "2026-01-01T09:30:00Z", "2026-01-02T09:30:00Z")]
    [InlineData("30 9 * * *", "2026-01-01T09:29:59.9999999Z", "2026-01-01T09:30:00Z")]
    [InlineData("30 9 * * *", "2026-01-01T09:30:00.0000001Z", "2026-01-02T09:30:00Z")]
    // Whitespace between fields.
    [InlineData("  0\t0  * *   *  ", NewYear, "2026-01-02T00:00:00Z")]
    public void GetNextOccurrence_Utc_MatchesTable(string expression, string after, string expected)
    {
        var cron = CronExpression.Parse(expression);

        var next = cron.GetNextOccurrence(Instant(after), TimeZoneInfo.Utc);

        Assert.Equal(Instant(expected), next);
    }

    [Theory]
    [InlineData("0 0 30 2 *")]
    [InlineData("0 0 31 2 *")]
    [InlineData("0 0 31 4,6,9,11 *")]
    [InlineData("0 0 30,31 FEB *")]
    [InlineData("0 0 30 2 */1")]
    public void GetNextOccurrence_ImpossibleDate_ReturnsNull(string expression)
    {
        Assert.Null(CronExpression.Parse(expression).GetNextOccurrence(Instant(NewYear), TimeZoneInfo.Utc));
    }

    [Fact]
    public void GetNextOccurrence_ImpossibleDateButWeekdayRestricted_FiresOnWeekday()
    {
        // Both restricted: the OR rule makes Feb 30 irrelevant; every Monday in February fires.
        var next = CronExpression.Parse("0 0 30 2 MON").GetNextOccurrence(Instant(NewYear), TimeZoneInfo.Utc);

        Assert.Equal(Instant("2026-02-02T00:00:00Z"), next);
    }

    [Fact]
    public void GetNextOccurrence_NearEndOfCalendar_ReturnsNullInsteadOfThrowing()
    {
        var cron = CronExpression.Parse("* * * * *");

        Assert.Null(cron.GetNextOccurrence(DateTimeOffset.MaxValue, TimeZoneInfo.Utc));
        Assert.Equal(Instant("9997-12-31T23:59:00Z"), cron.GetNextOccurrence(Instant("9997-12-31T23:58:00Z"), TimeZoneInfo.Utc));
    }

    [Fact]
    public void GetNextOccurrence_FixedOffsetZone_UsesWallClockOfZone()
    {
        var india = TimeZoneInfo.CreateCustomTimeZone("test+05:30", TimeSpan.FromMinutes(330), "test+05:30", "test+05:30");

        var next = CronExpression.Parse("0 9 * * *").GetNextOccurrence(Instant(NewYear), india);

        Assert.Equal(Instant("2026-01-01T03:30:00Z"), next);
        Assert.Equal(TimeSpan.FromMinutes(330), next!.Value.Offset);
    }

    [Fact]
    public void GetNextOccurrence_AfterGivenInOtherOffset_SameInstantSameAnswer()
    {
        var cron = CronExpression.Parse("0 12 * * *");
        var utc = Instant("2026-06-01T11:00:00Z");

        Assert.Equal(cron.GetNextOccurrence(utc, TimeZoneInfo.Utc), cron.GetNextOccurrence(utc.ToOffset(TimeSpan.FromHours(-7)), TimeZoneInfo.Utc));
    }

    [Fact]
    public void GetNextOccurrence_NullZone_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => CronExpression.Parse("* * * * *").GetNextOccurrence(Instant(NewYear), null!));
    }

    [Fact]
    public void GetNextOccurrence_FarFutureDate_IsFast()
    {
        // Field-by-field search: a leap day decades out is a few dozen steps. 10k calls would take
        // minutes with a minute-by-minute scan; here they take milliseconds. Not a timing assertion:
        // the point is that the test finishes at all within the run.
        var cron = CronExpression.Parse("0 0 29 2 */7");
        var after = Instant(NewYear);
        for (var i = 0; i < 10_000; i++)
        {
            Assert.NotNull(cron.GetNextOccurrence(after, TimeZoneInfo.Utc));
        }
    }

    [Theory]
    [InlineData("0 25 * * *", "hour must be 0-23 (got 25)")]
    [InlineData("60 * * * *", "minute must be 0-59 (got 60)")]
    [InlineData("-1 * * * *", "minute must be 0-59 (got -1)")]
    [InlineData("5- * * * *", "minute must be 0-59 (got 5-)")]
    [InlineData("1-2-3 * * * *", "minute must be 0-59 (got 2-3)")]
    [InlineData("? * * * *", "minute must be 0-59 (got ?)")]
    [InlineData("100 * * * *", "minute must be 0-59 (got 100)")]
    [InlineData("x * * * *", "minute must be 0-59 (got x)")]
    [InlineData("0 0 0 * *", "day-of-month must be 1-31 (got 0)")]
    [InlineData("0 0 32 * *", "day-of-month must be 1-31 (got 32)")]
    [InlineData("0 0 L * *", "day-of-month must be 1-31 (got L)")]
    [InlineData("0 0 MON * *", "day-of-month must be 1-31 (got MON)")]
    [InlineData("0 0 * 0 *", "month must be 1-12 or JAN-DEC (got 0)")]
    [InlineData("0 0 * 13 *", "month must be 1-12 or JAN-DEC (got 13)")]
    [InlineData("0 0 * JANUARY *", "month must be 1-12 or JAN-DEC (got JANUARY)")]
    [InlineData("0 0 * MON *", "month must be 1-12 or JAN-DEC (got MON)")]
    [InlineData("0 0 * * 8", "day-of-week must be 0-7 or SUN-SAT (got 8)")]
    [InlineData("0 0 * * JAN", "day-of-week must be 0-7 or SUN-SAT (got JAN)")]
    [InlineData("0 0 * * 5L", "day-of-week must be 0-7 or SUN-SAT (got 5L)")]
    [InlineData("0 0 * * 1#2", "day-of-week must be 0-7 or SUN-SAT (got 1#2)")]
    [InlineData("*/0 * * * *", "minute step must be a whole number from 1 (got */0)")]
    [InlineData("*/x * * * *", "minute step must be a whole number from 1 (got */x)")]
    [InlineData("*/ * * * *", "minute step must be a whole number from 1 (got */)")]
    [InlineData("*/-1 * * * *", "minute step must be a whole number from 1 (got */-1)")]
    [InlineData("5/10 * * * *", "minute step needs a range or * before it, like */10 or 5-59/10 (got 5/10)")]
    [InlineData("0 0 * * MON/2", "day-of-week step needs a range or * before it, like */2 or 1-7/2 (got MON/2)")]
    [InlineData("5-1 * * * *", "minute range must run low to high (got 5-1)")]
    [InlineData("0 0 * DEC-FEB *", "month range must run low to high (got DEC-FEB)")]
    [InlineData("1,,2 * * * *", "minute has an empty list item (got 1,,2)")]
    [InlineData("1, * * * *", "minute has an empty list item (got 1,)")]
    [InlineData("* * * *", "expected 5 fields (minute hour day-of-month month day-of-week), got 4")]
    [InlineData("* * * * * *", "expected 5 fields (minute hour day-of-month month day-of-week), got 6")]
    [InlineData("", "expected 5 fields (minute hour day-of-month month day-of-week), got 0")]
    [InlineData("   ", "expected 5 fields (minute hour day-of-month month day-of-week), got 0")]
    [InlineData("@reboot", "unknown alias, use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly")]
    [InlineData("@every 5m", "unknown alias, use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly")]
    public void TryParse_Invalid_FailsNamingFieldAndExpression(string text, string reason)
    {
        Assert.False(CronExpression.TryParse(text, out var value, out var error));
        Assert.Null(value);
        Assert.Equal($"cron \"{text}\": {reason}", error);
    }

    [Fact]
    public void Parse_Invalid_ThrowsFormatExceptionWithSameMessage()
    {
        var thrown = Assert.Throws<FormatException>(() => CronExpression.Parse("0 25 * * *"));

        Assert.Equal("cron \"0 25 * * *\": hour must be 0-23 (got 25)", thrown.Message);
    }

    [Fact]
    public void TryParse_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => CronExpression.TryParse(null!, out _, out _));
    }

    [Theory]
    [InlineData("0 2 * * *")]
    [InlineData("@daily")]
    [InlineData("  */5 * * * MON-FRI ")]
    public void ToString_ReturnsOriginalText(string text)
    {
        Assert.Equal(text, CronExpression.Parse(text).ToString());
    }

    internal static DateTimeOffset Instant(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
