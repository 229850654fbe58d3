using Slipway.Proxy.Edge.Waf;

namespace Slipway.Proxy.Tests.Edge.Waf;

/// <summary>Runs the whole engine on one value sent as a query argument, as a browser would encode it.</summary>
internal static class WafProbe
{
    /// <summary>The name of the rule that fires on <paramref name="value"/>, or null.</summary>
    public static string? Rule(string value, WafRuleSet? rules = null)
    {
        var request = new WafRequest("/search", "q=" + Uri.EscapeDataString(value), [], default, default);
        return WafInspector.Inspect(request, rules ?? WafRuleSet.Default, out var match) ? match.RuleName : null;
    }

    /// <summary>As <see cref="Rule"/>, with the query argument already in wire form.</summary>
    public static string? RuleForRawQuery(string query)
    {
        var request = new WafRequest("/search", query, [], default, default);
        return WafInspector.Inspect(request, WafRuleSet.Default, out var match) ? match.RuleName : null;
    }
}
