using Slipway.Core.Primitives;

namespace Slipway.Core.Tests.Primitives;

public sealed class RateTests
{
    [Theory]
    [InlineData("10/s", 10.0, 1000L, 10.0)]
    [InlineData("5/m", 5.0, 60_000L, 5.0 / 60)]
    [InlineData("1000/h", 1000.0, 3_600_000L, 1000.0 / 3600)]
    [InlineData("100/d", 100.0, 86_400_000L, 100.0 / 86400)]
    [InlineData("5/ms", 5.0, 1L, 5000.0)]
    [InlineData("2/1m", 2.0, 60_000L, 2.0 / 60)]
    [InlineData("30/10s", 30.0, 10_000L, 3.0)]
    [InlineData("1/500ms", 1.0, 500L, 2.0)]
    [InlineData("0.5/s", 0.5, 1000L, 0.5)]
    [InlineData("0/s", 0.0, 1000L, 0.0)]
    [InlineData(" 10/s ", 10.0, 1000L, 10.0)]
    [InlineData("1/1h30m", 1.0, 5_400_000L, 1.0 / 5400)]
    public void TryParse_Valid_ReturnsCountWindowAndPerSecond(string text, double count, long perMilliseconds, double perSecond)
    {
        Assert.True(Rate.TryParse(text, out var value, out var error), error);
        Assert.Null(error);
        Assert.Equal(count, value.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(perMilliseconds), value.Per);
        Assert.Equal(perSecond, value.PerSecond, 12);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("10/")]
    [InlineData("/s")]
    [InlineData("10/x")]
    [InlineData("10/sec")]
    [InlineData("10/S")]
    [InlineData("ten/s")]
    [InlineData("-1/s")]
    [InlineData("NaN/s")]
    [InlineData("Infinity/s")]
    [InlineData("10 / s")]
    [InlineData("10/s/s")]
    [InlineData("1e3/s")]
    [InlineData("10/-1s")]
    [InlineData("10/1x")]
    [InlineData("10/.5s")]
    public void TryParse_Invalid_FailsWithExampleAndInput(string text)
    {
        Assert.False(Rate.TryParse(text, out var value, out var error));
        Assert.Equal(default, value);
        Assert.Equal($"must be a rate like 10/s, 5/m or 1000/h (got \"{text}\")", error);
    }

    [Theory]
    [InlineData("10/0")]
    [InlineData("10/0s")]
    public void TryParse_ZeroWindow_Fails(string text)
    {
        Assert.False(Rate.TryParse(text, out _, out var error));
        Assert.Equal($"must count over a window longer than zero, like 10/s (got \"{text}\")", error);
    }

    [Theory]
    [InlineData("10/s", "10/s")]
    [InlineData("5/m", "5/m")]
    [InlineData("2/1m", "2/m")]
    [InlineData("1000/h", "1000/h")]
    [InlineData("100/d", "100/d")]
    [InlineData("30/10s", "30/10s")]
    [InlineData("1/90s", "1/1m30s")]
    [InlineData("0.5/s", "0.5/s")]
    [InlineData("5/ms", "5/ms")]
    public void ToString_WritesBareUnitForOneOfIt(string text, string expected)
    {
        Assert.True(Rate.TryParse(text, out var value, out _));

        Assert.Equal(expected, value.ToString());
        Assert.True(Rate.TryParse(value.ToString(), out var again, out _));
        Assert.Equal(value, again);
    }
}
