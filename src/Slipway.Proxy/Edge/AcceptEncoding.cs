using System.Globalization;

namespace Slipway.Proxy.Edge;

/// <summary>
/// Picks a content coding from a request's <c>Accept-Encoding</c> (RFC 9110 §12.5.3): the highest q-value among
/// the codings offered; equal q-values go to the server's order. <c>*</c> stands for any coding not named;
/// <c>q=0</c> means "not acceptable". Reads spans: no allocation.
/// </summary>
internal static class AcceptEncoding
{
    public static ContentCoding Choose(ReadOnlySpan<char> header, IReadOnlyList<ContentCoding> offered)
    {
        var best = ContentCoding.None;
        var bestQ = 0;
        foreach (var coding in offered)
        {
            var q = QualityOf(header, coding == ContentCoding.Brotli ? "br" : "gzip");
            if (q > bestQ)
            {
                best = coding;
                bestQ = q;
            }
        }

        return best;
    }

    /// <summary>The coding's q-value in thousandths: explicit, else <c>*</c>'s, else 0.</summary>
    private static int QualityOf(ReadOnlySpan<char> header, string coding)
    {
        var wildcard = 0;
        foreach (var range in header.Split(','))
        {
            var member = header[range];
            var semicolon = member.IndexOf(';');
            var name = (semicolon < 0 ? member : member[..semicolon]).Trim();
            var q = semicolon < 0 ? 1000 : ParseQuality(member[(semicolon + 1)..]);
            if (name.Equals(coding, StringComparison.OrdinalIgnoreCase)
                || (coding == "gzip" && name.Equals("x-gzip", StringComparison.OrdinalIgnoreCase)))
            {
                return q;
            }

            if (name is "*")
            {
                wildcard = q;
            }
        }

        return wildcard;
    }

    /// <summary><c>q=0.8</c> as 800; a malformed weight makes the coding unacceptable rather than preferred.</summary>
    private static int ParseQuality(ReadOnlySpan<char> parameters)
    {
        foreach (var range in parameters.Split(';'))
        {
            var parameter = parameters[range].Trim();
            if (parameter.Length < 2 || (parameter[0] | 0x20) != 'q' || parameter[1] != '=')
            {
                continue;
            }

            var value = parameter[2..];
            return value.Length <= 5 && double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var q) && q is >= 0 and <= 1
                ? (int)Math.Round(q * 1000)
                : 0;
        }

        return 1000;
    }
}
