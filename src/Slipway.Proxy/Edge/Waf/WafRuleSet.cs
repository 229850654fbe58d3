namespace Slipway.Proxy.Edge.Waf;

/// <summary>
/// A compiled rule set: the built-in rules less what allow rules silence. Immutable, so one
/// instance per route can be shared by every request on it. An allow rule without a target or
/// path is folded into the enabled mask and costs nothing per request; scoped ones are checked
/// only for the value a rule fired on.
/// </summary>
internal sealed class WafRuleSet
{
    private readonly ScopedAllow[] _scoped;

    private WafRuleSet(ulong enabled, ScopedAllow[] scoped, IReadOnlyList<WafAllowRule> allows)
    {
        Enabled = enabled;
        _scoped = scoped;
        Allows = allows;
    }

    /// <summary>Every built-in rule, nothing silenced.</summary>
    public static WafRuleSet Default { get; } = new(WafRules.AllBits, [], []);

    /// <summary>The rules on for every target, as <see cref="WafRule.Bit"/>s.</summary>
    public ulong Enabled { get; }

    /// <summary>The allow rules this set was built with, in order.</summary>
    public IReadOnlyList<WafAllowRule> Allows { get; }

    internal bool HasScopedAllows => _scoped.Length > 0;

    internal bool NeedsPath => Array.Exists(_scoped, s => s.Allow.PathPrefix is not null);

    /// <summary>This set with <paramref name="allows"/> silencing rules too.</summary>
    /// <exception cref="ArgumentException">An allow rule names no known rule or class, or a target name without a target.</exception>
    public WafRuleSet Without(params IEnumerable<WafAllowRule> allows)
    {
        var enabled = Enabled;
        var scoped = new List<ScopedAllow>(_scoped);
        var all = new List<WafAllowRule>(Allows);
        foreach (var allow in allows)
        {
            if (!WafRules.TryResolve(allow.Rule, out var bits))
            {
                throw new ArgumentException(
                    $"unknown WAF rule '{allow.Rule}': expected a rule ({string.Join(", ", WafRules.All.Select(r => r.Name))}) or a class ({string.Join(", ", Enum.GetValues<WafClass>().Select(c => c.Name()))})",
                    nameof(allows));
            }

            if (allow.TargetName is not null && allow.Target is null)
            {
                throw new ArgumentException($"WAF allow rule for '{allow.Rule}' names '{allow.TargetName}' but no target kind", nameof(allows));
            }

            if (allow.Target is null && allow.PathPrefix is null)
            {
                enabled &= ~bits;
            }
            else
            {
                scoped.Add(new ScopedAllow(allow, bits));
            }

            all.Add(allow);
        }

        return new WafRuleSet(enabled, [.. scoped], all);
    }

    /// <summary>
    /// The rules on for one value: <see cref="Enabled"/> less the scoped allows that cover its
    /// target. <paramref name="path"/> is the decoded request path, or null when it has dot
    /// segments (then no path-scoped allow applies: the path may not be what it looks like).
    /// </summary>
    internal ulong EnabledFor(WafTargetKind kind, ReadOnlySpan<char> name, string? path)
    {
        var bits = Enabled;
        foreach (var scoped in _scoped)
        {
            if ((bits & scoped.Bits) != 0 && scoped.Allow.Covers(kind, name)
                && (scoped.Allow.PathPrefix is null || (path is not null && scoped.Allow.CoversPath(path))))
            {
                bits &= ~scoped.Bits;
            }
        }

        return bits;
    }

    private readonly record struct ScopedAllow(WafAllowRule Allow, ulong Bits);
}
