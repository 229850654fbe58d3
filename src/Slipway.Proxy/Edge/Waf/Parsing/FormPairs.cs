namespace Slipway.Proxy.Edge.Waf.Parsing;

/// <summary>The name=value pairs of a query string or form body, split on '&amp;' only, still encoded.</summary>
internal ref struct FormPairs(ReadOnlySpan<char> text)
{
    private ReadOnlySpan<char> _rest = text.StartsWith('?') ? text[1..] : text;

    public bool Next(out ReadOnlySpan<char> name, out ReadOnlySpan<char> value)
    {
        while (!_rest.IsEmpty)
        {
            var end = _rest.IndexOf('&');
            var pair = end < 0 ? _rest : _rest[..end];
            _rest = end < 0 ? default : _rest[(end + 1)..];
            if (pair.IsEmpty)
            {
                continue;
            }

            var equals = pair.IndexOf('=');
            name = equals < 0 ? pair : pair[..equals];
            value = equals < 0 ? default : pair[(equals + 1)..];
            return true;
        }

        name = default;
        value = default;
        return false;
    }
}
