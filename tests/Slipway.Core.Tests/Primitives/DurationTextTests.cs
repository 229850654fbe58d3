using CsCheck;
using Slipway.Core.Primitives;

namespace Slipway.Core.Tests.Primitives;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("0s", 0L)]
    [InlineData("0ms", 0L)]
    [InlineData("250ms", 250 * TimeSpan.TicksPerMillisecond)]
    [InlineData("5s", 5 * TimeSpan.TicksPerSecond)]
    [InlineData("2m", 2 * TimeSpan.TicksPerMinute)]
    [InlineData("1h", TimeSpan.TicksPerHour)]
    [InlineData("7d", 7 * TimeSpan.TicksPerDay)]
    [InlineData("1h30m", 90 * TimeSpan.TicksPerMinute)]
    [InlineData("1d2h3m4s5ms", TimeSpan.TicksPerDay + (2 * TimeSpan.TicksPerHour) + (3 * TimeSpan.TicksPerMinute) + (4 * TimeSpan.TicksPerSecond) + (5 * TimeSpan.TicksPerMillisecond))]
    [InlineData("1.5s", 15_000_000L)]
    [InlineData("0.5ms", 5_000L)]
    [InlineData("0.0001ms", 1L)]
    [InlineData("1.25h", 75 * TimeSpan.TicksPerMinute)]
    [InlineData("90s", 90 * TimeSpan.TicksPerSecond)]
    [InlineData("100000m", 100_000 * TimeSpan.TicksPerMinute)]
    [InlineData("007s", 7 * TimeSpan.TicksPerSecond)]
    [InlineData("  5s  ", 5 * TimeSpan.TicksPerSecond)]
    public void TryParse_Valid_ReturnsValue(string text, long ticks)
    {
        Assert.True(DurationText.TryParse(text, out var value, out var error), error);
        Assert.Null(error);
        Assert.Equal(TimeSpan.FromTicks(ticks), value);
    }

    [Theory]
    [InlineData("5x")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("5")]
    [InlineData("s")]
    [InlineData("5 s")]
    [InlineData("5S")]
    [InlineData("1M")]
    [InlineData("5sec")]
    [InlineData("5us")]
    [InlineData("1w")]
    [InlineData(".5s")]
    [InlineData("5.s")]
    [InlineData("1.2.3s")]
    [InlineData("+5s")]
    [InlineData("1h 30m")]
    [InlineData("1e3s")]
    [InlineData("1,5s")]
    [InlineData("5s!")]
    [InlineData("00")]
    public void TryParse_NotADuration_FailsWithExampleAndInput(string text)
    {
        Assert.False(DurationText.TryParse(text, out var value, out var error));
        Assert.Equal(TimeSpan.Zero, value);
        Assert.Equal($"must be a duration like 250ms, 5s, 2m, 1h or 7d (got \"{text}\")", error);
    }

    [Theory]
    [InlineData("-5s")]
    [InlineData("-0")]
    [InlineData(" -1h")]
    public void TryParse_Negative_FailsSayingSo(string text)
    {
        Assert.False(DurationText.TryParse(text, out _, out var error));
        Assert.Equal($"must not be negative (got \"{text}\")", error);
    }

    [Theory]
    [InlineData("30m1h")]
    [InlineData("1m1m")]
    [InlineData("5ms1s")]
    public void TryParse_UnitsOutOfOrderOrRepeated_Fails(string text)
    {
        Assert.False(DurationText.TryParse(text, out _, out var error));
        Assert.Equal($"must write each unit once, largest first, like 1h30m (got \"{text}\")", error);
    }

    [Theory]
    [InlineData("10675200d")]
    [InlineData("99999999999999999999999999999999999d")]
    [InlineData("9223372036854775808ms")]
    [InlineData("10675199d3h")]
    public void TryParse_Overflow_FailsTooLarge(string text)
    {
        Assert.False(DurationText.TryParse(text, out _, out var error));
        Assert.Equal($"is too large (got \"{text}\")", error);
    }

    [Fact]
    public void TryParse_MaxValueSpelledOut_Succeeds()
    {
        var text = DurationText.Format(TimeSpan.MaxValue);

        Assert.True(DurationText.TryParse(text, out var value, out _));
        Assert.Equal(TimeSpan.MaxValue, value);
    }

    [Fact]
    public void TryParse_FinerThanATick_Fails()
    {
        Assert.False(DurationText.TryParse("0.00001ms", out _, out var error));
        Assert.Equal("must be a whole number of 100ns ticks (got \"0.00001ms\")", error);
    }

    [Fact]
    public void TryParse_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => DurationText.TryParse(null!, out _, out _));
    }

    [Theory]
    [InlineData(0L, "0")]
    [InlineData(250 * TimeSpan.TicksPerMillisecond, "250ms")]
    [InlineData(5 * TimeSpan.TicksPerSecond, "5s")]
    [InlineData(90 * TimeSpan.TicksPerSecond, "1m30s")]
    [InlineData(60 * TimeSpan.TicksPerMinute, "1h")]
    [InlineData(7 * TimeSpan.TicksPerDay, "7d")]
    [InlineData(TimeSpan.TicksPerDay + TimeSpan.TicksPerSecond, "1d1s")]
    [InlineData(1_500 * TimeSpan.TicksPerMillisecond, "1s500ms")]
    [InlineData(15_000L, "1.5ms")]
    [InlineData(1L, "0.0001ms")]
    [InlineData(TimeSpan.TicksPerSecond + 1, "1s0.0001ms")]
    [InlineData(-90 * TimeSpan.TicksPerSecond, "-1m30s")]
    public void Format_GivesCanonicalForm(long ticks, string expected)
    {
        Assert.Equal(expected, DurationText.Format(TimeSpan.FromTicks(ticks)));
    }

    [Fact]
    public void Format_Extremes_SpellEveryTick()
    {
        Assert.Equal("10675199d2h48m5s477.5807ms", DurationText.Format(TimeSpan.MaxValue));
        Assert.Equal("-10675199d2h48m5s477.5808ms", DurationText.Format(TimeSpan.MinValue));
    }

    [Fact]
    public void Format_ThenTryParse_RoundTripsRandomValues() =>
        Gen.OneOf(
                // Coarse values (whole seconds, whole milliseconds) as well as arbitrary tick counts.
                Gen.Long[0, 9_999].Select(seconds => seconds * TimeSpan.TicksPerSecond),
                Gen.Long[0, 999_999].Select(milliseconds => milliseconds * TimeSpan.TicksPerMillisecond),
                Gen.Long[0, TimeSpan.MaxValue.Ticks - 1])
            .Select(TimeSpan.FromTicks)
            .Sample(
                original =>
                {
                    var text = DurationText.Format(original);

                    Assert.True(DurationText.TryParse(text, out var parsed, out var error), $"{text}: {error}");
                    Assert.Equal(original, parsed);
                },
                iter: 5000);
}
