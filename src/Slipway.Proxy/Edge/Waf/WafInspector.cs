using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Slipway.Proxy.Edge.Waf.Normalization;
using Slipway.Proxy.Edge.Waf.Parsing;

namespace Slipway.Proxy.Edge.Waf;

/// <summary>
/// The WAF engine's entry point: inspects the path, each query argument (name and value), the
/// headers that carry user input, each cookie, and the first <see cref="WafLimits.BodyBytes"/>
/// of a form, JSON, multipart or text body, and reports the first rule that matches.
/// Thread-safe and allocation-free unless something matches.
/// </summary>
internal static partial class WafInspector
{
    public static bool Inspect(in WafRequest request, WafRuleSet rules, [NotNullWhen(true)] out WafMatch? match)
    {
        var work = default(WafWork);
        return Inspect(request, rules, out match, ref work);
    }

    /// <summary>As <see cref="Inspect(in WafRequest, WafRuleSet, out WafMatch?)"/>, adding what it did to <paramref name="work"/>.</summary>
    public static bool Inspect(in WafRequest request, WafRuleSet rules, [NotNullWhen(true)] out WafMatch? match, ref WafWork work)
    {
        var scan = new WafScan(rules, rules.NeedsPath ? AllowPath(request.Path) : null, ref work);
        var found = scan.Value(WafTargetKind.Path, default, request.Path, plusIsSpace: false)
            || InspectQuery(request.Query, ref scan)
            || InspectHeaders(request.Headers, ref scan)
            || InspectBody(request.ContentType, request.Body, ref scan);
        match = scan.Match;
        return found;
    }

    private static bool InspectQuery(ReadOnlySpan<char> query, ref WafScan scan) =>
        InspectPairs(query, WafTargetKind.Query, ref scan);

    /// <summary>Each name=value pair: the name is inspected as a value too (attacks hide in names).</summary>
    private static bool InspectPairs(ReadOnlySpan<char> text, WafTargetKind kind, ref WafScan scan)
    {
        var pairs = new FormPairs(text);
        while (pairs.Next(out var rawName, out var value))
        {
            var buffer = ArrayPool<char>.Shared.Rent(rawName.Length);
            try
            {
                var name = buffer.AsSpan(0, PercentDecoder.Decode(rawName, buffer, plusIsSpace: true, out _));
                if (scan.Value(kind, name, rawName, plusIsSpace: true) || scan.Value(kind, name, value, plusIsSpace: true))
                {
                    return true;
                }
            }
            finally
            {
                ArrayPool<char>.Shared.Return(buffer);
            }
        }

        return false;
    }

    /// <summary>
    /// The path that path-scoped allow rules compare with: decoded once, and none at all when it
    /// holds a dot segment, because then what the backend serves may lie outside the prefix.
    /// </summary>
    private static string? AllowPath(ReadOnlySpan<char> rawPath)
    {
        var buffer = new char[rawPath.Length];
        var path = buffer.AsSpan(0, PercentDecoder.Decode(rawPath, buffer, plusIsSpace: false, out _));
        if (path.Contains('\\') || path.Contains("/./", StringComparison.Ordinal) || path.Contains("/../", StringComparison.Ordinal)
            || path.EndsWith("/.", StringComparison.Ordinal) || path.EndsWith("/..", StringComparison.Ordinal))
        {
            return null;
        }

        return new string(path);
    }
}
