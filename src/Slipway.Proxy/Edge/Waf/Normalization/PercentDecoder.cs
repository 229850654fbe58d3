using System.Text;

namespace Slipway.Proxy.Edge.Waf.Normalization;

/// <summary>
/// One pass of percent-decoding the way lenient servers do it, because the attack is aimed at
/// them: <c>%HH</c>, IIS's <c>%uHHHH</c>, and UTF-8 sequences decoded even when overlong
/// (<c>%c0%af</c> is '/', <c>%c0%ae</c> is '.', <c>%e0%80%af</c> is '/'), which strict decoders
/// refuse and old ones accepted. A byte that starts no valid sequence becomes the Latin-1
/// character of the same value, so <c>%bf%27</c> keeps its quote. The output is never longer
/// than the input.
/// </summary>
internal static class PercentDecoder
{
    /// <summary>Decodes <paramref name="source"/> into <paramref name="destination"/> (at least as long).</summary>
    /// <returns>Characters written; <paramref name="decoded"/> says whether any escape was decoded.</returns>
    public static int Decode(ReadOnlySpan<char> source, Span<char> destination, bool plusIsSpace, out bool decoded)
    {
        decoded = false;
        var written = 0;
        var i = 0;
        while (i < source.Length)
        {
            var c = source[i];
            if (c == '%')
            {
                if (TryByte(source, i, out var lead))
                {
                    decoded = true;
                    if (lead < 0x80)
                    {
                        destination[written++] = (char)lead;
                        i += 3;
                    }
                    else
                    {
                        i = DecodeSequence(source, i, lead, destination, ref written);
                    }

                    continue;
                }

                if (TryUnicodeEscape(source, i, out var unit))
                {
                    decoded = true;
                    destination[written++] = unit;
                    i += 6;
                    continue;
                }
            }

            destination[written++] = plusIsSpace && c == '+' ? ' ' : c;
            i++;
        }

        return written;
    }

    /// <summary>Decodes the UTF-8 sequence whose lead byte is escaped at <paramref name="start"/>; returns where decoding resumes.</summary>
    private static int DecodeSequence(ReadOnlySpan<char> source, int start, byte lead, Span<char> destination, ref int written)
    {
        var continuations = lead switch
        {
            >= 0xC0 and <= 0xDF => 1,
            >= 0xE0 and <= 0xEF => 2,
            >= 0xF0 and <= 0xF7 => 3,
            _ => 0,
        };
        var scalar = lead & (0x7F >> (continuations + 1));
        var next = start + 3;
        var read = 0;
        while (read < continuations && TryByte(source, next, out var trail) && (trail & 0xC0) == 0x80)
        {
            scalar = (scalar << 6) | (trail & 0x3F);
            next += 3;
            read++;
        }

        if (continuations > 0 && read == continuations && Rune.IsValid(scalar))
        {
            written += new Rune(scalar).EncodeToUtf16(destination[written..]);
            return next;
        }

        destination[written++] = (char)lead;
        return start + 3;
    }

    private static bool TryByte(ReadOnlySpan<char> source, int at, out byte value)
    {
        value = 0;
        if (at + 2 >= source.Length || source[at] != '%')
        {
            return false;
        }

        var high = HexValue(source[at + 1]);
        var low = HexValue(source[at + 2]);
        if ((high | low) < 0)
        {
            return false;
        }

        value = (byte)((high << 4) | low);
        return true;
    }

    private static bool TryUnicodeEscape(ReadOnlySpan<char> source, int at, out char unit)
    {
        unit = '\0';
        if (at + 5 >= source.Length || (source[at + 1] | 0x20) != 'u')
        {
            return false;
        }

        var value = 0;
        for (var k = at + 2; k < at + 6; k++)
        {
            var digit = HexValue(source[k]);
            if (digit < 0)
            {
                return false;
            }

            value = (value << 4) | digit;
        }

        unit = (char)value;
        return true;
    }

    /// <summary>The value of a hex digit, or -1.</summary>
    public static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
