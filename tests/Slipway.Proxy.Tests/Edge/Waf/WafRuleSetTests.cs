using Slipway.Proxy.Edge.Waf;

namespace Slipway.Proxy.Tests.Edge.Waf;

public sealed class WafRuleSetTests
{
    private static WafRequest Comment() => new("/api/snippets", "lang=sql&code=1%3B%20DROP%20TABLE%20users", [], default, default);

    [Fact]
    public void Without_RuleName_SilencesThatRuleEverywhere()
    {
        var rules = WafRuleSet.Default.Without(new WafAllowRule("sqli-stacked"));

        Assert.Null(WafProbe.Rule("1; DROP TABLE users", rules));
        Assert.Equal("sqli-union", WafProbe.Rule("1 UNION SELECT 1", rules));
    }

    [Fact]
    public void Without_ClassName_SilencesEveryRuleOfTheClass()
    {
        var rules = WafRuleSet.Default.Without(new WafAllowRule("sqli"));

        Assert.Null(WafProbe.Rule("1 UNION SELECT 1", rules));
        Assert.Equal("xss-script", WafProbe.Rule("<script>", rules));
    }

    [Fact]
    public void Without_ScopedToAnArgument_SilencesOnlyThere()
    {
        var rules = WafRuleSet.Default.Without(new WafAllowRule("sqli-stacked", WafTargetKind.Query, "code"));

        Assert.False(WafInspector.Inspect(Comment(), rules, out _));
        Assert.True(WafInspector.Inspect(new WafRequest("/api/snippets", "lang=1%3B%20DROP%20TABLE%20users", [], default, default), rules, out var match));
        Assert.Equal("query:lang", match.TargetText);
    }

    [Fact]
    public void Without_ScopedSilencedRule_LetsOtherRulesFireOnTheSameValue()
    {
        var rules = WafRuleSet.Default.Without(new WafAllowRule("sqli", WafTargetKind.Query, "code"));
        var request = new WafRequest("/", "code=1%3B%20DROP%20TABLE%20users%3Cscript%3E", [], default, default);

        Assert.True(WafInspector.Inspect(request, rules, out var match));
        Assert.Equal("xss-script", match.RuleName);
    }

    [Fact]
    public void Without_HeaderName_ComparesIgnoringCase()
    {
        var rules = WafRuleSet.Default.Without(new WafAllowRule("cmdi-separator", WafTargetKind.Header, "user-agent"));
        var request = new WafRequest("/", default, [new WafHeader("User-Agent", "x; cat notes.txt")], default, default);

        Assert.False(WafInspector.Inspect(request, rules, out _));
    }

    [Theory]
    [InlineData("/api/snippets", false)]
    [InlineData("/api/snippets/7", false)]
    [InlineData("/api/snippetsx", true)]
    [InlineData("/api/other", true)]
    [InlineData("/api/snippets/../admin", true)]
    [InlineData("/api/snippets/%2e%2e/admin", true)]
    public void Without_ScopedToAPathPrefix_AppliesBelowItOnly(string path, bool flagged)
    {
        var rules = WafRuleSet.Default.Without(new WafAllowRule("sqli-stacked", PathPrefix: "/api/snippets/"));
        var request = new WafRequest(path, "code=1%3B%20DROP%20TABLE%20users", [], default, default);

        Assert.Equal(flagged, WafInspector.Inspect(request, rules, out _));
    }

    [Fact]
    public void Without_UnknownRule_IsRefusedNamingTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => WafRuleSet.Default.Without(new WafAllowRule("sqli-tautology")));

        Assert.Contains("unknown WAF rule 'sqli-tautology'", error.Message, StringComparison.Ordinal);
        Assert.Contains("sqli-boolean", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_TargetNameWithoutKind_IsRefused() =>
        Assert.Throws<ArgumentException>(() => WafRuleSet.Default.Without(new WafAllowRule("xss", TargetName: "q")));

    [Fact]
    public void Without_LeavesTheOriginalSetUnchanged()
    {
        var rules = WafRuleSet.Default.Without(new WafAllowRule("xss"));

        Assert.Equal(WafRules.AllBits, WafRuleSet.Default.Enabled);
        Assert.Single(rules.Allows);
        Assert.Equal("xss-script", WafProbe.Rule("<script>"));
    }
}
