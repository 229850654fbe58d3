namespace Slipway.Proxy.Static;

/// <summary>
/// Whether a file name carries a content hash, so its bytes never change under that name and it may be cached for a
/// year: the last part of the name before its extension, after a <c>.</c> or <c>-</c>, is 8 to 64 letters, digits or
/// underscores with at least one digit (<c>app.3f2a9c1b.js</c>, <c>index-B2xk9QaZ.js</c>). A hash without a digit
/// is taken for a word and revalidated: slower, never stale.
/// </summary>
internal static class Fingerprint
{
    public static bool IsFingerprinted(ReadOnlySpan<char> fileName)
    {
        var dot = fileName.LastIndexOf('.');
        if (dot <= 0)
        {
            return false;
        }

        var stem = fileName[..dot];
        var separator = stem.LastIndexOfAny('.', '-');
        if (separator < 0)
        {
            return false;
        }

        var hash = stem[(separator + 1)..];
        if (hash.Length is < 8 or > 64)
        {
            return false;
        }

        var digit = false;
        foreach (var c in hash)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }

            digit |= char.IsAsciiDigit(c);
        }

        return digit;
    }
}
