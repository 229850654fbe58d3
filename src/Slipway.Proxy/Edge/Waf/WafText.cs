using System.Text;

namespace Slipway.Proxy.Edge.Waf;

/// <summary>Text from a request made safe for a log line: printable ASCII only, truncated.</summary>
internal static class WafText
{
    public static string Escape(ReadOnlySpan<char> text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, WafLimits.ReportChars) + 8);
        foreach (var c in text)
        {
            if (builder.Length >= WafLimits.ReportChars)
            {
                builder.Append('…');
                break;
            }

            switch (c)
            {
                case '"' or '\\':
                    builder.Append('\\').Append(c);
                    break;
                case >= ' ' and <= '~':
                    builder.Append(c);
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                default:
                    builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>A window of <paramref name="text"/> around <paramref name="at"/>, escaped.</summary>
    public static string Excerpt(ReadOnlySpan<char> text, int at)
    {
        var start = Math.Clamp(at - 8, 0, text.Length);
        return Escape(text[start..]);
    }
}
