using System.Text;
using Slipway.Proxy.Edge.Waf;

namespace Slipway.Proxy.Tests.Edge.Waf;

/// <summary>Hostile inputs: the work stays within the stated bounds (counted, never timed).</summary>
public sealed class WafInspectorBoundsTests
{
    private const int Megabyte = 1024 * 1024;

    [Fact]
    public void Inspect_MegabyteOfEscapedPercents_DecodesAtMostTheRoundLimit()
    {
        var query = "q=" + string.Concat(Enumerable.Repeat("%25", Megabyte / 3));
        var work = default(WafWork);

        WafInspector.Inspect(new WafRequest("/", query, [], default, default), WafRuleSet.Default, out _, ref work);

        Assert.True(work.MaxDecodeRounds <= WafLimits.DecodeRounds);
        Assert.True(work.CharsDecoded <= WafLimits.DecodeRounds * (long)query.Length);
        Assert.True(work.CharsScanned <= query.Length);
    }

    [Fact]
    public void Inspect_DeeplyNestedEncoding_StopsAfterTheRoundLimit()
    {
        // '%' then 500 layers of "25" then "27": each pass peels one layer.
        var query = "q=%" + string.Concat(Enumerable.Repeat("25", 500)) + "27";
        var work = default(WafWork);

        Assert.False(WafInspector.Inspect(new WafRequest("/", query, [], default, default), WafRuleSet.Default, out _, ref work));
        Assert.Equal(WafLimits.DecodeRounds, work.MaxDecodeRounds);
        Assert.True(work.CharsDecoded <= WafLimits.DecodeRounds * (long)query.Length);
    }

    [Fact]
    public void Inspect_MegabyteBody_ReadsOnlyTheInspectionLimit()
    {
        var body = Encoding.UTF8.GetBytes(new string('a', Megabyte) + "'; DROP TABLE users--");
        var work = default(WafWork);

        Assert.False(WafInspector.Inspect(new WafRequest("/", default, [], "text/plain", body), WafRuleSet.Default, out _, ref work));
        Assert.Equal(WafLimits.BodyBytes, work.BodyBytes);
        Assert.True(work.CharsScanned <= WafLimits.BodyBytes + "/".Length);
    }

    [Fact]
    public void Inspect_JsonNestedBeyondTheDepthLimit_IsReadAsText()
    {
        var body = Encoding.UTF8.GetBytes(new string('[', 10_000) + "\"<script>\"" + new string(']', 10_000));
        var work = default(WafWork);

        Assert.True(WafInspector.Inspect(new WafRequest("/", default, [], "application/json", body), WafRuleSet.Default, out var match, ref work));
        Assert.Equal(("body", "xss-script"), (match.TargetText, match.RuleName));
        Assert.Equal(WafLimits.BodyBytes, work.BodyBytes);
    }

    [Theory]
    [InlineData("<a x=\"")]
    [InlineData("{{")]
    [InlineData("..;")]
    [InlineData("{cat a")]
    [InlineData("'||")]
    [InlineData("on")]
    [InlineData(":")]
    [InlineData("/*")]
    public void Inspect_RepeatedTriggerPrefix_ScansEachCharacterABoundedNumberOfTimes(string unit)
    {
        var body = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(unit, WafLimits.BodyBytes / unit.Length)));
        var work = default(WafWork);

        WafInspector.Inspect(new WafRequest("/", default, [], "text/plain", body), WafRuleSet.Default, out _, ref work);

        Assert.Equal(2, work.Values);
        Assert.True(work.CharsScanned <= WafLimits.BodyBytes + "/".Length);
    }

    [Fact]
    public void Inspect_ManyArguments_InspectsEachOnce()
    {
        var query = string.Join('&', Enumerable.Range(0, 2000).Select(i => $"k{i}=v{i}"));
        var work = default(WafWork);

        Assert.False(WafInspector.Inspect(new WafRequest("/", query, [], default, default), WafRuleSet.Default, out _, ref work));
        Assert.Equal(1 + (2 * 2000), work.Values);
    }
}
