namespace Slipway.Proxy.Edge.Waf.Detection;

internal static partial class XssDetector
{
    private static readonly string[] ScriptSchemes = ["javascript", "vbscript", "livescript"];

    private static readonly string[] ScriptDataTypes =
        ["text/html", "image/svg+xml", "application/xhtml+xml", "text/xml", "text/javascript", "application/javascript", "application/x-javascript"];

    /// <summary>
    /// A script URL where a URL begins: at the start of the value or of a path segment, or after
    /// '=', a quote, a backtick or '(' (CSS url()). Browsers drop tabs and newlines inside a scheme
    /// (java&#x09;script:), so whitespace between its letters is skipped.
    /// </summary>
    private static bool FindScriptUrl(ReadOnlySpan<char> text, out int at)
    {
        Span<char> scheme = stackalloc char[12];
        var from = 0;
        while (from < text.Length)
        {
            var found = text[from..].IndexOf(':');
            if (found < 0)
            {
                break;
            }

            var colon = from + found;
            from = colon + 1;
            var length = 0;
            var i = colon - 1;
            while (i >= 0 && colon - i < 40)
            {
                var c = text[i];
                if (c is not (' ' or '\n'))
                {
                    if (!char.IsAsciiLetterLower(c) || length == scheme.Length)
                    {
                        break;
                    }

                    scheme[scheme.Length - 1 - length++] = c;
                }

                i--;
            }

            // A letter still there means the word before ':' is longer than any scheme we look for.
            var glued = i >= 0 && char.IsAsciiLetterLower(text[i]);
            if (length == 0 || glued || !IsScriptScheme(scheme[(scheme.Length - length)..], text[(colon + 1)..]) || !StartsUrl(text, i))
            {
                continue;
            }

            at = Math.Max(0, i + 1);
            return true;
        }

        at = 0;
        return false;
    }

    private static bool IsScriptScheme(ReadOnlySpan<char> scheme, ReadOnlySpan<char> rest)
    {
        foreach (var candidate in ScriptSchemes)
        {
            if (scheme.SequenceEqual(candidate))
            {
                return true;
            }
        }

        if (!scheme.SequenceEqual("data"))
        {
            return false;
        }

        rest = rest.TrimStart(" \n");
        foreach (var type in ScriptDataTypes)
        {
            if (rest.StartsWith(type, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool StartsUrl(ReadOnlySpan<char> text, int before) =>
        before < 0 || text[before] is '=' or '"' or '\'' or '`' or '(' or '/';
}
