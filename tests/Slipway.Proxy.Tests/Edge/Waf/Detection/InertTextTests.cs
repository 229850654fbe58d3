using Slipway.Proxy.Edge.Waf.Detection;

namespace Slipway.Proxy.Tests.Edge.Waf.Detection;

public sealed class InertTextTests
{
    [Theory]
    [InlineData("customer")]
    [InlineData("Conan OBrien")]
    [InlineData("MUG-001")]
    [InlineData("Apt #4B")]
    [InlineData("D02 XY45")]
    public void IsInert_PlainWords_SkipEveryDetector(string raw) => Assert.True(InertText.IsInert(raw));

    [Theory]
    [InlineData("1 or true")]
    [InlineData("1 order by 10")]
    [InlineData("-1 OR 2")]
    [InlineData("x UNION select 1")]
    [InlineData("O'Brien")]
    [InlineData("id_rsa")]
    [InlineData("a..b")]
    [InlineData("a%27")]
    [InlineData("a&#60;")]
    [InlineData("a\\u003c")]
    [InlineData("ＯＲ")]
    [InlineData("a\nid")]
    public void IsInert_TextSomeRuleNeeds_IsInspected(string raw) => Assert.False(InertText.IsInert(raw));

    [Theory]
    [InlineData("customer")]
    [InlineData("Conan OBrien")]
    [InlineData("Apt #4B")]
    [InlineData("select all that apply")]
    [InlineData("cat food")]
    public void IsInert_InertValue_NoDetectorMatchesItEither(string raw)
    {
        var text = raw.ToLowerInvariant();

        Assert.True(InertText.IsInert(raw));
        Assert.False(SqlInjectionDetector.Detect(text, ulong.MaxValue, out _, out _));
        Assert.False(XssDetector.Detect(text, ulong.MaxValue, out _, out _));
        Assert.False(CommandInjectionDetector.Detect(text, ulong.MaxValue, new char[text.Length], out _, out _));
        Assert.False(PathTraversalDetector.Detect(text, ulong.MaxValue, out _, out _));
    }
}
