using Slipway.Core.Routing;
using Slipway.Proxy.Edge.Waf;

namespace Slipway.Proxy.Tests.Edge.Waf;

public sealed class WafRulesTests
{
    [Fact]
    public void All_IsIndexedByIdWithUniqueNamesPrefixedByClass()
    {
        Assert.Equal(Enum.GetValues<WafRuleId>(), WafRules.All.Select(r => r.Id));
        Assert.Equal(WafRules.All.Count, WafRules.All.Select(r => r.Name).Distinct().Count());
        Assert.All(WafRules.All, r => Assert.StartsWith(r.Class switch
        {
            WafClass.SqlInjection => "sqli-",
            WafClass.CrossSiteScripting => "xss-",
            WafClass.PathTraversal => "traversal-",
            _ => "cmdi-",
        }, r.Name, StringComparison.Ordinal));
    }

    [Fact]
    public void TryResolve_ClassName_CoversEveryRuleOfTheClass()
    {
        Assert.True(WafRules.TryResolve("path-traversal", out var bits));
        Assert.Equal(WafRules.Get(WafRuleId.TraversalDotDot).Bit | WafRules.Get(WafRuleId.TraversalSensitiveFile).Bit, bits);
        Assert.False(WafRules.TryResolve("SQLI", out _));
    }

    [Fact]
    public void CoreNames_AreTheEnginesNames()
    {
        // Manifest validation and the metrics store know the rules only by these names.
        Assert.Equal(WafRules.All.Select(r => r.Name), WafNames.Rules);
        Assert.Equal(Enum.GetValues<WafClass>().Select(c => c.Name()), WafNames.Classes);
        Assert.Equal(Enum.GetNames<WafTargetKind>().Select(n => n.ToLowerInvariant()), WafNames.Targets);
    }
}
