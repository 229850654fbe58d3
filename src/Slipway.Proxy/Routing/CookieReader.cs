namespace Slipway.Proxy.Routing;

/// <summary>Finds one cookie in a Cookie header without splitting it into strings.</summary>
internal static class CookieReader
{
    public static bool TryGet(ReadOnlySpan<char> header, ReadOnlySpan<char> name, out ReadOnlySpan<char> value)
    {
        while (!header.IsEmpty)
        {
            var end = header.IndexOf(';');
            var pair = end < 0 ? header : header[..end];
            header = end < 0 ? default : header[(end + 1)..];
            pair = pair.Trim(' ');
            var equals = pair.IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }

            if (pair[..equals].Trim(' ').SequenceEqual(name))
            {
                value = pair[(equals + 1)..].Trim(' ').Trim('"');
                return true;
            }
        }

        value = default;
        return false;
    }
}
