using System.Globalization;
using System.Text;

namespace Slipway.Core.Primitives;

/// <summary>
/// Text that came from an instance (its output, an exec probe's or a hook's stderr) made safe to print for a
/// person at a terminal: every C0 control character but TAB, DEL, and every C1 control character becomes a
/// visible <c>\xHH</c>. An escape sequence can then neither set the window title, erase a line nor move the
/// cursor, and a carriage return or line feed cannot start a fake line. JSON output is never passed through
/// this: it stays exact.
/// </summary>
internal static class TerminalText
{
    public static string Escape(string text)
    {
        var first = text.AsSpan().IndexOfAnyInRange('\u0000', '\u001f');
        var firstHigh = text.AsSpan().IndexOfAnyInRange('\u007f', '\u009f');
        if (first < 0 && firstHigh < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (c != '\t' && (c < ' ' || c is >= '\u007f' and <= '\u009f'))
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }
}
