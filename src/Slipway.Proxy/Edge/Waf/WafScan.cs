using System.Buffers;
using Slipway.Proxy.Edge.Waf.Detection;
using Slipway.Proxy.Edge.Waf.Normalization;

namespace Slipway.Proxy.Edge.Waf;

/// <summary>
/// One inspection in progress: normalises each value it is given, runs the detectors the rule
/// set leaves on for that value's target, and keeps the first match. Scratch comes from the
/// shared array pools, so a request that matches nothing allocates nothing.
/// </summary>
internal ref struct WafScan
{
    private readonly WafRuleSet _rules;
    private readonly string? _allowPath;
    private ref WafWork _work;

    public WafScan(WafRuleSet rules, string? allowPath, ref WafWork work)
    {
        _rules = rules;
        _allowPath = allowPath;
        _work = ref work;
    }

    public WafMatch? Match { get; private set; }

    public readonly ref WafWork Work => ref _work;

    /// <summary>Inspects one value; true when it matched (and inspection should stop).</summary>
    /// <param name="plusIsSpace">The value is form-encoded (query, form body): '+' is a space.</param>
    public bool Value(WafTargetKind kind, scoped ReadOnlySpan<char> name, scoped ReadOnlySpan<char> raw, bool plusIsSpace)
    {
        if (raw.IsEmpty)
        {
            return false;
        }

        var enabled = _rules.HasScopedAllows ? _rules.EnabledFor(kind, name, _allowPath) : _rules.Enabled;
        if (enabled == 0)
        {
            return false;
        }

        _work.Values++;
        if (InertText.IsInert(raw))
        {
            return false;
        }

        var chars = ArrayPool<char>.Shared.Rent(raw.Length * 2);
        try
        {
            var text = WafNormalizer.Normalize(raw, plusIsSpace, chars.AsSpan(0, raw.Length * 2), ref _work, out var spare);
            _work.CharsScanned += text.Length;
            if (SqlInjectionDetector.Detect(text, enabled, out var rule, out var at)
                || XssDetector.Detect(text, enabled, out rule, out at)
                || CommandInjectionDetector.Detect(text, enabled, spare, out rule, out at)
                || PathTraversalDetector.Detect(text, enabled, out rule, out at))
            {
                Match = new WafMatch(WafRules.Get(rule), kind, name.IsEmpty ? null : WafText.Escape(name), WafText.Excerpt(text, at));
                return true;
            }

            return false;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}
