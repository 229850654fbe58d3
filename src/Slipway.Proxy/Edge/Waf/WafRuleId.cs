namespace Slipway.Proxy.Edge.Waf;

/// <summary>Every rule, by number; a rule set is a bit mask over these (see <see cref="WafRules"/>).</summary>
internal enum WafRuleId
{
    SqliUnion,
    SqliStacked,
    SqliTime,
    SqliError,
    SqliBoolean,
    SqliClause,
    SqliComment,
    XssScript,
    XssEventHandler,
    XssScriptUrl,
    XssDangerousTag,
    XssScriptBreakout,
    XssTemplate,
    TraversalDotDot,
    TraversalSensitiveFile,
    CmdiSeparator,
    CmdiSubstitution,
    CmdiShellshock,
    CmdiEvasion,
}
