namespace Slipway.Core.Routing;

/// <summary>
/// The names the WAF's rules and classes have in the manifest, logs and metrics. The engine (Slipway.Proxy's
/// <c>Edge/Waf/WafRules</c>) owns the rules; these are their names for the layers that cannot see it (manifest
/// validation, the metrics store), and a proxy test holds the two lists equal.
/// </summary>
internal static class WafNames
{
    /// <summary>The class names, in the engine's <c>WafClass</c> order.</summary>
    public static IReadOnlyList<string> Classes { get; } = ["sqli", "xss", "path-traversal", "command-injection"];

    public static IReadOnlyList<string> Rules { get; } =
    [
        "sqli-union", "sqli-stacked", "sqli-time", "sqli-error", "sqli-boolean", "sqli-clause", "sqli-comment",
        "xss-script", "xss-event-handler", "xss-script-url", "xss-dangerous-tag", "xss-script-breakout", "xss-template",
        "traversal-dotdot", "traversal-sensitive-file",
        "cmdi-separator", "cmdi-substitution", "cmdi-shellshock", "cmdi-evasion",
    ];

    /// <summary>Where in a request an allow rule applies, as <c>target: KIND</c> or <c>target: KIND:NAME</c> writes it.</summary>
    public static IReadOnlyList<string> Targets { get; } = ["path", "query", "header", "cookie", "body"];

    /// <summary>The position of a class name in <see cref="Classes"/>, or -1.</summary>
    public static int ClassIndex(string? name)
    {
        for (var i = 0; i < Classes.Count; i++)
        {
            if (string.Equals(Classes[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
