namespace Slipway.Proxy.Edge.Waf.Normalization;

/// <summary>
/// JavaScript and CSS-in-JS escapes that reach a browser's parser as the character they name:
/// <c>\xHH</c>, <c>\uHHHH</c> and <c>\u{H…}</c>. Only well-formed escapes decode, so a Windows
/// path like <c>C:\Users\xavier</c> reads unchanged.
/// </summary>
internal static class ScriptEscapes
{
    public static bool TryDecode(ReadOnlySpan<char> text, int at, out int scalar, out int consumed)
    {
        scalar = 0;
        consumed = 0;
        if (at + 3 >= text.Length)
        {
            return false;
        }

        return text[at + 1] switch
        {
            'x' => TryFixed(text, at + 2, 2, out scalar) && Done(4, out consumed),
            'u' when text[at + 2] == '{' => TryBraced(text, at + 3, out scalar, out consumed),
            'u' => TryFixed(text, at + 2, 4, out scalar) && Done(6, out consumed),
            _ => false,
        };
    }

    private static bool Done(int length, out int consumed)
    {
        consumed = length;
        return true;
    }

    private static bool TryFixed(ReadOnlySpan<char> text, int start, int digits, out int scalar)
    {
        scalar = 0;
        if (start + digits > text.Length)
        {
            return false;
        }

        for (var i = start; i < start + digits; i++)
        {
            var digit = PercentDecoder.HexValue(text[i]);
            if (digit < 0)
            {
                return false;
            }

            scalar = (scalar << 4) | digit;
        }

        return true;
    }

    private static bool TryBraced(ReadOnlySpan<char> text, int start, out int scalar, out int consumed)
    {
        scalar = 0;
        consumed = 0;
        var i = start;
        while (i < text.Length && i - start < 6 && PercentDecoder.HexValue(text[i]) >= 0)
        {
            scalar = (scalar << 4) | PercentDecoder.HexValue(text[i]);
            i++;
        }

        if (i == start || i >= text.Length || text[i] != '}' || scalar > 0x10FFFF)
        {
            return false;
        }

        consumed = i + 1 - (start - 3);
        return true;
    }
}
