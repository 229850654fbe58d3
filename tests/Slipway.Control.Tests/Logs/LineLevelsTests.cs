using Slipway.Control.Logs;

namespace Slipway.Control.Tests.Logs;

public sealed class LineLevelsTests
{
    [Theory]
    [InlineData("ERROR connection refused", "Error")]
    [InlineData("2026-11-22 10:00:00 WARN disk at 91%", "Warn")]
    [InlineData("[error] upstream timed out", "Error")]
    [InlineData("error: cannot open config", "Error")]
    [InlineData("time=2026-11-22T10:00:00Z level=warn msg=slow", "Warn")]
    [InlineData("<debug> cache miss", "Debug")]
    [InlineData("INFO started", "Info")]
    [InlineData("FATAL out of memory", "Error")]
    public void FromPlainText_LeadingLevel_Recognised(string text, string expected) =>
        Assert.Equal(Enum.Parse<LineLevel>(expected), LineLevels.FromPlainText(text));

    [Theory]
    [InlineData("error connecting is just a word here")]
    [InlineData("retrying the call after an ERROR from the database")]
    [InlineData("")]
    [InlineData("GET /errors 200")]
    public void FromPlainText_NoMarkedLevelInFirstWords_Null(string text) => Assert.Null(LineLevels.FromPlainText(text));

    [Theory]
    [InlineData(10, "Debug")]
    [InlineData(30, "Info")]
    [InlineData(40, "Warn")]
    [InlineData(60, "Error")]
    public void FromNumber_PinoLevels(double number, string expected) => Assert.Equal(Enum.Parse<LineLevel>(expected), LineLevels.FromNumber(number));
}
