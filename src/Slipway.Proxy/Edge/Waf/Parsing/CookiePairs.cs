namespace Slipway.Proxy.Edge.Waf.Parsing;

/// <summary>The name=value pairs of a Cookie header.</summary>
internal ref struct CookiePairs(ReadOnlySpan<char> header)
{
    private ReadOnlySpan<char> _rest = header;

    public bool Next(out ReadOnlySpan<char> name, out ReadOnlySpan<char> value)
    {
        while (!_rest.IsEmpty)
        {
            var end = _rest.IndexOf(';');
            var pair = (end < 0 ? _rest : _rest[..end]).Trim(' ');
            _rest = end < 0 ? default : _rest[(end + 1)..];
            if (pair.IsEmpty)
            {
                continue;
            }

            var equals = pair.IndexOf('=');
            name = equals < 0 ? default : pair[..equals].Trim(' ');
            value = equals < 0 ? pair : pair[(equals + 1)..].Trim(' ');
            return true;
        }

        name = default;
        value = default;
        return false;
    }
}
