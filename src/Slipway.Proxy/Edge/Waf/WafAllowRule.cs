namespace Slipway.Proxy.Edge.Waf;

/// <summary>
/// Silences rules that fire on legitimate traffic. <paramref name="Rule"/> is a rule name
/// (<c>sqli-boolean</c>) or a class name (<c>xss</c>) for all of its rules. Without a target the
/// rule is off everywhere (for the requests this rule set serves); with one it is off only for
/// that target: a header or cookie by name, a query argument or body field by name (a JSON field
/// by its dotted path), or the path. <paramref name="PathPrefix"/> narrows it further to requests
/// whose path is the prefix or below it (segment-aware: <c>/api</c> covers <c>/api/x</c>, not
/// <c>/apix</c>).
/// </summary>
internal sealed record WafAllowRule(string Rule, WafTargetKind? Target = null, string? TargetName = null, string? PathPrefix = null)
{
    /// <summary>True for a target this rule covers. Header names compare ignoring case, other names exactly.</summary>
    internal bool Covers(WafTargetKind kind, ReadOnlySpan<char> name)
    {
        if (Target is null)
        {
            return true;
        }

        if (Target != kind)
        {
            return false;
        }

        return TargetName is null
            || (kind == WafTargetKind.Header
                ? name.Equals(TargetName, StringComparison.OrdinalIgnoreCase)
                : name.SequenceEqual(TargetName));
    }

    /// <summary>True when <paramref name="path"/> (decoded, free of dot segments) lies under <see cref="PathPrefix"/>.</summary>
    internal bool CoversPath(ReadOnlySpan<char> path)
    {
        if (PathPrefix is null)
        {
            return true;
        }

        var prefix = PathPrefix.AsSpan().TrimEnd('/');
        return prefix.IsEmpty
            || (path.StartsWith(prefix, StringComparison.Ordinal)
                && (path.Length == prefix.Length || path[prefix.Length] == '/'));
    }
}
