using System.Collections.Frozen;

namespace Slipway.Proxy.Edge.Waf.Normalization;

/// <summary>
/// Character references as browsers decode them in attribute values and text: decimal and hex
/// numeric references with or without the closing ';' and with any number of leading zeros
/// (<c>&amp;#0000106</c>), and the named references that spell syntax an attack needs
/// (<c>&amp;colon;</c>, <c>&amp;Tab;</c>, <c>&amp;lpar;</c>…). Other named references stay as written:
/// they cannot form a tag, a quote or a URL scheme.
/// </summary>
internal static class HtmlEntities
{
    private const int MaxDigits = 10;

    private static readonly FrozenDictionary<string, char> Named = new Dictionary<string, char>(StringComparer.Ordinal)
    {
        ["lt"] = '<', ["LT"] = '<', ["gt"] = '>', ["GT"] = '>', ["amp"] = '&', ["AMP"] = '&',
        ["quot"] = '"', ["QUOT"] = '"', ["apos"] = '\'', ["nbsp"] = '\u00A0', ["colon"] = ':',
        ["Tab"] = '\t', ["NewLine"] = '\n', ["lpar"] = '(', ["rpar"] = ')', ["sol"] = '/', ["bsol"] = '\\',
        ["period"] = '.', ["semi"] = ';', ["equals"] = '=', ["comma"] = ',', ["grave"] = '`',
        ["DiacriticalGrave"] = '`', ["excl"] = '!', ["num"] = '#', ["dollar"] = '$', ["percnt"] = '%',
        ["plus"] = '+', ["lowbar"] = '_', ["UnderBar"] = '_', ["lsqb"] = '[', ["rsqb"] = ']', ["lbrack"] = '[',
        ["rbrack"] = ']', ["lcub"] = '{', ["rcub"] = '}', ["lbrace"] = '{', ["rbrace"] = '}', ["quest"] = '?',
        ["commat"] = '@', ["ast"] = '*', ["midast"] = '*', ["verbar"] = '|', ["vert"] = '|',
        ["VerticalLine"] = '|', ["Hat"] = '^',
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, char>.AlternateLookup<ReadOnlySpan<char>> NamedBySpan =
        Named.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly int LongestName = Named.Keys.Max(k => k.Length);

    /// <summary>Decodes the reference starting with the '&amp;' at <paramref name="at"/>.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, int at, out int scalar, out int consumed)
    {
        scalar = 0;
        consumed = 0;
        if (at + 2 >= text.Length)
        {
            return false;
        }

        return text[at + 1] == '#' ? TryNumeric(text, at, out scalar, out consumed) : TryNamed(text, at, out scalar, out consumed);
    }

    private static bool TryNumeric(ReadOnlySpan<char> text, int at, out int scalar, out int consumed)
    {
        var hex = (text[at + 2] | 0x20) == 'x';
        var i = at + (hex ? 3 : 2);
        var start = i;
        long value = 0;
        while (i < text.Length && i - start < MaxDigits)
        {
            var digit = hex ? PercentDecoder.HexValue(text[i]) : text[i] is >= '0' and <= '9' ? text[i] - '0' : -1;
            if (digit < 0)
            {
                break;
            }

            value = (value * (hex ? 16 : 10)) + digit;
            i++;
        }

        if (i == start)
        {
            scalar = 0;
            consumed = 0;
            return false;
        }

        if (i < text.Length && text[i] == ';')
        {
            i++;
        }

        // Browsers turn NUL, surrogates and out-of-range values into U+FFFD.
        scalar = value is > 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF) ? (int)value : 0xFFFD;
        consumed = i - at;
        return true;
    }

    private static bool TryNamed(ReadOnlySpan<char> text, int at, out int scalar, out int consumed)
    {
        scalar = 0;
        consumed = 0;
        var end = at + 1;
        while (end < text.Length && end - at - 1 <= LongestName && char.IsAsciiLetter(text[end]))
        {
            end++;
        }

        if (end >= text.Length || text[end] != ';' || !NamedBySpan.TryGetValue(text[(at + 1)..end], out var decoded))
        {
            return false;
        }

        scalar = decoded;
        consumed = end + 1 - at;
        return true;
    }
}
