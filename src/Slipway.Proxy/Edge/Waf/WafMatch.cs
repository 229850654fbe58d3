namespace Slipway.Proxy.Edge.Waf;

/// <summary>
/// What the engine found: the rule, where, and a short excerpt of the value as the rule saw it
/// (decoded, lower-cased). The excerpt and the target name are escaped (printable ASCII only,
/// <c>\uXXXX</c> for anything else, quotes and backslashes escaped) and truncated to
/// <see cref="WafLimits.ReportChars"/>, so both are safe to put into a log line.
/// </summary>
internal sealed record WafMatch(WafRule Rule, WafTargetKind Target, string? TargetName, string Excerpt)
{
    public string RuleName => Rule.Name;

    public WafClass Class => Rule.Class;

    /// <summary>The target as allow rules and logs write it: <c>path</c>, <c>query:id</c>, <c>header:User-Agent</c>.</summary>
    public string TargetText => TargetName is null
        ? Target.ToString().ToLowerInvariant()
        : Target.ToString().ToLowerInvariant() + ":" + TargetName;

    public override string ToString() =>
        $"rule={Rule.Name} class={Rule.Class.Name()} target={TargetText} excerpt=\"{Excerpt}\"";
}
