using Slipway.Proxy.Edge.Waf;
using Slipway.Proxy.Edge.Waf.Normalization;

namespace Slipway.Proxy.Tests.Edge.Waf.Normalization;

public sealed class WafNormalizerTests
{
    [Theory]
    [InlineData("%27", "'", 1)]
    [InlineData("%2527", "'", 2)]
    [InlineData("%252527", "'", 3)]
    [InlineData("%25252527", "'", 4)]
    [InlineData("%2525252527", "%27", 4)]
    [InlineData("plain", "plain", 0)]
    public void Normalize_NestedEncoding_IsUndoneUpToTheRoundLimit(string raw, string expected, int rounds)
    {
        var work = default(WafWork);

        Assert.Equal(expected, Normalize(raw, plusIsSpace: false, ref work));
        Assert.Equal(rounds, work.MaxDecodeRounds);
        Assert.True(work.MaxDecodeRounds <= WafLimits.DecodeRounds);
    }

    [Fact]
    public void Normalize_PassThatDecodesNothing_EndsTheRounds()
    {
        var work = default(WafWork);

        Assert.Equal("100% sure", Normalize("100%25 sure", plusIsSpace: false, ref work));
        Assert.Equal(2, work.MaxDecodeRounds);
    }

    [Fact]
    public void Normalize_FormValue_TurnsPlusIntoSpaceOnTheTransportPassOnly()
    {
        var work = default(WafWork);

        Assert.Equal("a b+c", Normalize("a+b%252Bc", plusIsSpace: true, ref work));
    }

    [Fact]
    public void Normalize_DecodedThenFolded_ReadsAsTheBrowserWould()
    {
        var work = default(WafWork);

        Assert.Equal("<script>", Normalize("%26lt%3BSCRIPT%26gt%3B", plusIsSpace: false, ref work));
    }

    private static string Normalize(string raw, bool plusIsSpace, ref WafWork work)
    {
        var scratch = new char[raw.Length * 2];
        return new string(WafNormalizer.Normalize(raw, plusIsSpace, scratch, ref work, out _));
    }
}
