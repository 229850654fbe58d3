namespace Slipway.Proxy.Edge.Waf;

/// <summary>The names a class has in logs, metrics and allow rules.</summary>
internal static class WafClassNames
{
    public const string SqlInjection = "sqli";
    public const string CrossSiteScripting = "xss";
    public const string PathTraversal = "path-traversal";
    public const string CommandInjection = "command-injection";

    public static string Name(this WafClass wafClass) => wafClass switch
    {
        WafClass.SqlInjection => SqlInjection,
        WafClass.CrossSiteScripting => CrossSiteScripting,
        WafClass.PathTraversal => PathTraversal,
        WafClass.CommandInjection => CommandInjection,
        _ => throw new ArgumentOutOfRangeException(nameof(wafClass), wafClass, null),
    };

    public static bool TryParse(string name, out WafClass wafClass)
    {
        foreach (var candidate in Enum.GetValues<WafClass>())
        {
            if (string.Equals(candidate.Name(), name, StringComparison.Ordinal))
            {
                wafClass = candidate;
                return true;
            }
        }

        wafClass = default;
        return false;
    }
}
