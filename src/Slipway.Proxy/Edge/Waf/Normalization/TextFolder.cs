using System.Buffers;
using System.Text;

namespace Slipway.Proxy.Edge.Waf.Normalization;

/// <summary>
/// The single pass after percent-decoding that makes spellings of the same syntax equal:
/// HTML character references and JavaScript escapes decoded, full-width ASCII (U+FF01–FF5E)
/// and look-alike slashes (∕ ⁄ ＼ ∖) mapped to ASCII, NUL removed (C string truncation), ASCII
/// lower-cased, and each run of whitespace collapsed to one space, or to one newline when the
/// run held a line break (newline is a shell command separator, so it must survive). The output
/// is never longer than the input.
/// </summary>
internal static class TextFolder
{
    /// <summary>Printable ASCII that needs nothing but lower-casing: not a space, '&amp;' or '\'.</summary>
    private static readonly SearchValues<char> Plain = SearchValues.Create(
        "!\"#$%'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    public static int Fold(ReadOnlySpan<char> source, Span<char> destination)
    {
        var written = 0;
        var pending = Whitespace.None;
        var i = 0;
        while (i < source.Length)
        {
            // Most of a value is plain ASCII: lower-case runs of it vectorised.
            var run = source[i..].IndexOfAnyExcept(Plain);
            run = run < 0 ? source.Length - i : run;
            if (run > 0)
            {
                if (pending != Whitespace.None)
                {
                    destination[written++] = pending == Whitespace.Newline ? '\n' : ' ';
                    pending = Whitespace.None;
                }

                Ascii.ToLower(source.Slice(i, run), destination[written..], out var lowered);
                written += lowered;
                i += run;
                continue;
            }

            var c = source[i];
            int scalar;
            int consumed;
            if (!(c == '&' && HtmlEntities.TryDecode(source, i, out scalar, out consumed))
                && !(c == '\\' && ScriptEscapes.TryDecode(source, i, out scalar, out consumed)))
            {
                scalar = c;
                consumed = 1;
            }

            i += consumed;
            scalar = MapLookalike(scalar);
            var space = Classify(scalar);
            if (space != Whitespace.None)
            {
                pending = (Whitespace)Math.Max((int)pending, (int)space);
                continue;
            }

            if (scalar == 0)
            {
                continue;
            }

            if (pending != Whitespace.None)
            {
                destination[written++] = pending == Whitespace.Newline ? '\n' : ' ';
                pending = Whitespace.None;
            }

            if (scalar is >= 'A' and <= 'Z')
            {
                scalar += 'a' - 'A';
            }

            if (scalar <= 0xFFFF)
            {
                destination[written++] = (char)scalar;
            }
            else
            {
                written += new Rune(scalar).EncodeToUtf16(destination[written..]);
            }
        }

        if (pending != Whitespace.None)
        {
            destination[written++] = pending == Whitespace.Newline ? '\n' : ' ';
        }

        return written;
    }

    private static int MapLookalike(int scalar) => scalar switch
    {
        >= 0xFF01 and <= 0xFF5E => scalar - 0xFEE0,
        0x2215 or 0x2044 or 0x29F8 => '/',
        0x2216 or 0xFE68 or 0x29F9 => '\\',
        _ => scalar,
    };

    private static Whitespace Classify(int scalar) => scalar switch
    {
        '\n' or '\r' or 0x85 or 0x2028 or 0x2029 => Whitespace.Newline,
        ' ' or '\t' or '\v' or '\f' or 0xA0 or 0x1680 or (>= 0x2000 and <= 0x200A) or 0x202F or 0x205F or 0x3000 => Whitespace.Space,
        _ => Whitespace.None,
    };

    private enum Whitespace
    {
        None,
        Space,
        Newline,
    }
}
