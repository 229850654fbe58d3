using Slipway.Core.Primitives;

namespace Slipway.Core.Tests.Primitives;

public sealed class PercentageTests
{
    [Theory]
    [InlineData("5%", 5.0)]
    [InlineData("0.5%", 0.5)]
    [InlineData("100%", 100.0)]
    [InlineData("0%", 0.0)]
    [InlineData("99.99%", 99.99)]
    [InlineData(" 1% ", 1.0)]
    [InlineData("150%", 150.0)]
    [InlineData("-5%", -5.0)]
    [InlineData(".5%", 0.5)]
    public void TryParse_Valid_ReturnsValueLeavingRangeToValidator(string text, double expected)
    {
        Assert.True(Percentage.TryParse(text, out var value, out var error), error);
        Assert.Null(error);
        Assert.Equal(expected, value.Value);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("0.05")]
    [InlineData("%")]
    [InlineData("")]
    [InlineData("5 %")]
    [InlineData("5%%")]
    [InlineData("%5")]
    [InlineData("five%")]
    [InlineData("NaN%")]
    [InlineData("Infinity%")]
    [InlineData("-Infinity%")]
    [InlineData("1e2%")]
    [InlineData("1,000%")]
    [InlineData("1e999%")]
    public void TryParse_Invalid_FailsWithExampleAndInput(string text)
    {
        Assert.False(Percentage.TryParse(text, out var value, out var error));
        Assert.Equal(default, value);
        Assert.Equal($"must be a percentage like 5% or 0.5% (got \"{text}\")", error);
    }

    [Theory]
    [InlineData(5.0, 0.05)]
    [InlineData(100.0, 1.0)]
    [InlineData(0.5, 0.005)]
    [InlineData(0.0, 0.0)]
    public void Fraction_IsValueOverHundred(double value, double fraction)
    {
        Assert.Equal(fraction, new Percentage(value).Fraction, 15);
    }

    [Theory]
    [InlineData(5.0, "5%")]
    [InlineData(0.5, "0.5%")]
    [InlineData(100.0, "100%")]
    [InlineData(12.345, "12.345%")]
    public void ToString_WritesPercentSign(double value, string expected)
    {
        Assert.Equal(expected, new Percentage(value).ToString());
    }
}
