using System.Buffers;

namespace Slipway.Proxy.Edge.Waf.Detection;

/// <summary>
/// Most values (JSON keys, ids, words, names without apostrophes) cannot match any rule, and
/// can be told apart before they are decoded: printable ASCII without '%', '&amp;' or '\' decodes
/// to itself (but for case and whitespace), so if it also holds none of the characters some
/// detector needs, does not start like a number and does not say UNION, every detector would
/// return false. This check is exact, not a heuristic: it is built from the detectors' own
/// <c>SyntaxChars</c>.
/// </summary>
internal static class InertText
{
    private static readonly SearchValues<char> Inert = SearchValues.Create(Build());

    public static bool IsInert(ReadOnlySpan<char> raw) =>
        !raw.ContainsAnyExcept(Inert) && !SqlInjectionDetector.CanMatch(raw);

    private static string Build()
    {
        const string decodable = "%&\\+";
        var excluded = decodable + SqlInjectionDetector.SyntaxChars + XssDetector.SyntaxChars
            + CommandInjectionDetector.SyntaxChars + PathTraversalDetector.SyntaxChars;
        return string.Concat(Enumerable.Range(' ', '~' - ' ' + 1).Select(c => (char)c).Where(c => !excluded.Contains(c)));
    }
}
