namespace Slipway.Proxy.Edge.Waf;

/// <summary>The built-in rules. Names are stable: allow rules and dashboards refer to them.</summary>
internal static class WafRules
{
    public static IReadOnlyList<WafRule> All { get; } =
    [
        new(WafRuleId.SqliUnion, "sqli-union", WafClass.SqlInjection, "UNION [ALL|DISTINCT] SELECT"),
        new(WafRuleId.SqliStacked, "sqli-stacked", WafClass.SqlInjection, "a second statement after ';' or a closed literal (DROP TABLE, INSERT INTO, EXEC xp_…, WAITFOR DELAY…)"),
        new(WafRuleId.SqliTime, "sqli-time", WafClass.SqlInjection, "a delay function called inside an expression (SLEEP, PG_SLEEP, BENCHMARK, DBMS_PIPE.RECEIVE_MESSAGE…)"),
        new(WafRuleId.SqliError, "sqli-error", WafClass.SqlInjection, "an error-based extraction function called inside an expression (EXTRACTVALUE, UPDATEXML, UTL_INADDR…)"),
        new(WafRuleId.SqliBoolean, "sqli-boolean", WafClass.SqlInjection, "a closed literal followed by OR/AND and a comparison, call or subquery"),
        new(WafRuleId.SqliClause, "sqli-clause", WafClass.SqlInjection, "a closed literal followed by ORDER BY, GROUP BY, HAVING or INTO OUTFILE"),
        new(WafRuleId.SqliComment, "sqli-comment", WafClass.SqlInjection, "a closed string literal followed only by a comment (admin'--)"),
        new(WafRuleId.XssScript, "xss-script", WafClass.CrossSiteScripting, "a <script> or </script> tag"),
        new(WafRuleId.XssEventHandler, "xss-event-handler", WafClass.CrossSiteScripting, "an on… event-handler attribute in a tag or after an attribute break-out"),
        new(WafRuleId.XssScriptUrl, "xss-script-url", WafClass.CrossSiteScripting, "a javascript:, vbscript: or HTML data: URL where a URL or attribute value starts"),
        new(WafRuleId.XssDangerousTag, "xss-dangerous-tag", WafClass.CrossSiteScripting, "a tag that loads or runs content (iframe, object, embed, meta, base, link…) or active CSS"),
        new(WafRuleId.XssScriptBreakout, "xss-script-breakout", WafClass.CrossSiteScripting, "a quote, an operator and a script sink (';alert(1)//, '-eval(…)-')"),
        new(WafRuleId.XssTemplate, "xss-template", WafClass.CrossSiteScripting, "client-side template injection ({{constructor.constructor(…)}})"),
        new(WafRuleId.TraversalDotDot, "traversal-dotdot", WafClass.PathTraversal, "a '..' path segment (after every decoding)"),
        new(WafRuleId.TraversalSensitiveFile, "traversal-sensitive-file", WafClass.PathTraversal, "a path to a well-known system or secret file (/etc/passwd, win.ini, .ssh/…) or php://"),
        new(WafRuleId.CmdiSeparator, "cmdi-separator", WafClass.CommandInjection, "a shell separator (; | || & && newline) followed by a command and shell-like arguments"),
        new(WafRuleId.CmdiSubstitution, "cmdi-substitution", WafClass.CommandInjection, "command substitution: $(command) or `command`"),
        new(WafRuleId.CmdiShellshock, "cmdi-shellshock", WafClass.CommandInjection, "a value starting with a bash function definition '() {' (CVE-2014-6271)"),
        new(WafRuleId.CmdiEvasion, "cmdi-evasion", WafClass.CommandInjection, "$IFS as a space, or a globbed command path (/???/c?t)"),
    ];

    /// <summary>Every rule's bit.</summary>
    public static ulong AllBits { get; } = All.Aggregate(0UL, (bits, rule) => bits | rule.Bit);

    public static WafRule Get(WafRuleId id) => All[(int)id];

    /// <summary>
    /// The rules a name stands for: a rule name (<c>sqli-boolean</c>) or a class name
    /// (<c>sqli</c>, <c>xss</c>, <c>path-traversal</c>, <c>command-injection</c>) for all its rules.
    /// </summary>
    public static bool TryResolve(string name, out ulong bits)
    {
        bits = 0;
        var isClass = WafClassNames.TryParse(name, out var wafClass);
        foreach (var rule in All)
        {
            if (isClass ? rule.Class == wafClass : string.Equals(rule.Name, name, StringComparison.Ordinal))
            {
                bits |= rule.Bit;
            }
        }

        return bits != 0;
    }
}
