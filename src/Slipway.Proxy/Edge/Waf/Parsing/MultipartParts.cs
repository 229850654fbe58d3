namespace Slipway.Proxy.Edge.Waf.Parsing;

/// <summary>
/// The parts of a multipart/form-data body (RFC 7578), read from text already decoded from
/// UTF-8. A part with a filename is an upload: its name and filename are returned and its
/// content is not (file contents are data, not parameters). A body cut off by the inspection
/// limit ends with the part it was in.
/// </summary>
internal ref struct MultipartParts
{
    private readonly ReadOnlySpan<char> _delimiter;
    private ReadOnlySpan<char> _rest;

    public MultipartParts(ReadOnlySpan<char> body, ReadOnlySpan<char> delimiter)
    {
        _delimiter = delimiter;
        var first = body.IndexOf(delimiter, StringComparison.Ordinal);
        _rest = first < 0 || delimiter.Length <= 2 ? default : body[(first + delimiter.Length)..];
    }

    /// <summary>The delimiter ("--" + boundary) named by a multipart Content-Type, written into <paramref name="buffer"/>.</summary>
    public static int Delimiter(ReadOnlySpan<char> contentType, Span<char> buffer)
    {
        var at = contentType.IndexOf("boundary=", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return 0;
        }

        var boundary = contentType[(at + 9)..];
        var end = boundary.IndexOf(';');
        boundary = (end < 0 ? boundary : boundary[..end]).Trim(' ').Trim('"');
        if (boundary.IsEmpty || boundary.Length + 2 > buffer.Length)
        {
            return 0;
        }

        buffer[0] = '-';
        buffer[1] = '-';
        boundary.CopyTo(buffer[2..]);
        return boundary.Length + 2;
    }

    public bool Next(out ReadOnlySpan<char> name, out ReadOnlySpan<char> fileName, out ReadOnlySpan<char> content)
    {
        name = default;
        fileName = default;
        content = default;

        // After a delimiter: "--" ends the body, otherwise CRLF then the part's headers.
        if (_rest.IsEmpty || _rest.StartsWith("--", StringComparison.Ordinal))
        {
            return false;
        }

        var headersEnd = _rest.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (headersEnd < 0)
        {
            _rest = default;
            return false;
        }

        var headers = _rest[..headersEnd];
        var body = _rest[(headersEnd + 4)..];
        var next = body.IndexOf(_delimiter, StringComparison.Ordinal);
        content = next < 0 ? body : body[..next].TrimEnd("\r\n");
        _rest = next < 0 ? default : body[(next + _delimiter.Length)..];
        var disposition = HeaderValue(headers, "content-disposition:");
        name = Parameter(disposition, "name=");
        fileName = Parameter(disposition, "filename=");
        return true;
    }

    private static ReadOnlySpan<char> HeaderValue(ReadOnlySpan<char> headers, ReadOnlySpan<char> name)
    {
        var at = headers.IndexOf(name, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return default;
        }

        var value = headers[(at + name.Length)..];
        var end = value.IndexOf('\r');
        return end < 0 ? value : value[..end];
    }

    /// <summary>A parameter of a Content-Disposition value; name= does not match inside filename=.</summary>
    private static ReadOnlySpan<char> Parameter(ReadOnlySpan<char> disposition, ReadOnlySpan<char> key)
    {
        var rest = disposition;
        while (true)
        {
            var at = rest.IndexOf(key, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                return default;
            }

            if (at == 0 || rest[at - 1] is ' ' or ';')
            {
                var value = rest[(at + key.Length)..];
                if (value.StartsWith('"'))
                {
                    var close = value[1..].IndexOf('"');
                    return close < 0 ? value[1..] : value[1..(close + 1)];
                }

                var end = value.IndexOf(';');
                return (end < 0 ? value : value[..end]).Trim(' ');
            }

            rest = rest[(at + key.Length)..];
        }
    }
}
