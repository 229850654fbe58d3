using Slipway.Core.Alerting;

namespace Slipway.Core.Tests.Alerting;

public sealed class LabelMatcherTests
{
    [Theory]
    [InlineData("service=api", "service", "api", true)]
    [InlineData("service!=api", "service", "api", false)]
    [InlineData("service=\"api\"", "service", "api", true)]
    public void Parses_the_silence_forms(string text, string name, string value, bool equal) =>
        Assert.Equal(new LabelMatcher(name, value, equal), LabelMatcher.Parse(text));

    [Theory]
    [InlineData("service")]
    [InlineData("=api")]
    [InlineData(" =api")]
    [InlineData("1service=api")]
    [InlineData("ser-vice=api")]
    public void Refuses_what_is_not_a_matcher(string text) => Assert.Null(LabelMatcher.Parse(text));
}
