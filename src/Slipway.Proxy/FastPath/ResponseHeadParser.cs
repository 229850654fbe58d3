using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Slipway.Proxy.FastPath;

/// <summary>
/// Reads a backend's HTTP/1.x response head. A malformed one (no status, a control byte in a field, conflicting
/// Content-Length values, a coding other than chunked) is the backend's failure: the caller answers 502 and drops
/// the connection, as the general path does when SocketsHttpHandler refuses the response.
/// </summary>
internal static class ResponseHeadParser
{
    /// <summary>True with a parsed head; false with <paramref name="complete"/> false when more bytes are needed.</summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, ResponseHead head, out bool complete)
    {
        head.Clear();
        var end = bytes.IndexOf("\r\n\r\n"u8);
        complete = end >= 0;
        if (!complete)
        {
            return false;
        }

        head.Length = end + 4;
        bytes = bytes[..head.Length];
        if (bytes.Length < 14 || !bytes.StartsWith("HTTP/1."u8) || bytes[7] is not ((byte)'0' or (byte)'1') || bytes[8] != ' '
            || !Utf8Parser.TryParse(bytes.Slice(9, 3), out int status, out var digits) || digits != 3 || status < 100
            || bytes[12] is not ((byte)' ' or (byte)'\r'))
        {
            return false;
        }

        head.Status = status;
        head.Close = bytes[7] == '0';
        var position = bytes.IndexOf("\r\n"u8) + 2;
        while (true)
        {
            var lineEnd = bytes[position..].IndexOf("\r\n"u8);
            if (lineEnd == 0)
            {
                return true;
            }

            if (head.HeaderCount == ResponseHead.MaxHeaders || !ParseHeader(head, position, bytes.Slice(position, lineEnd)))
            {
                return false;
            }

            position += lineEnd + 2;
        }
    }

    private static bool ParseHeader(ResponseHead head, int lineStart, ReadOnlySpan<byte> line)
    {
        var colon = line.IndexOf((byte)':');
        if (colon <= 0 || line[..colon].IndexOfAnyExcept(TokenChars) >= 0)
        {
            return false;
        }

        var valueStart = colon + 1;
        var value = line[valueStart..];
        while (!value.IsEmpty && value[0] is (byte)' ' or (byte)'\t')
        {
            value = value[1..];
            valueStart++;
        }

        value = value.TrimEnd(" \t"u8);
        if (value.ContainsAny(ControlChars))
        {
            return false;
        }

        var name = line[..colon];
        var forward = true;
        switch (name.Length)
        {
            case 4 when Ascii.EqualsIgnoreCase(name, "Date"u8):
                head.HasDate = true;
                break;
            case 10 when Ascii.EqualsIgnoreCase(name, "Connection"u8):
                head.Close |= HasToken(value, "close"u8);
                forward = false;
                break;
            case 12 when Ascii.EqualsIgnoreCase(name, "X-Request-Id"u8):
                // The proxy's id replaces the backend's, as on the general path.
                forward = false;
                break;
            case 14 when Ascii.EqualsIgnoreCase(name, "Content-Length"u8):
                if (!Utf8Parser.TryParse(value, out long length, out var used) || used != value.Length || length < 0
                    || (head.ContentLength >= 0 && head.ContentLength != length))
                {
                    return false;
                }

                head.ContentLength = length;
                break;
            case 17 when Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8):
                if (!LastCodingIsChunked(value))
                {
                    return false;
                }

                head.Chunked = true;
                forward = false;
                break;
            default:
                forward = !IsHopByHop(name);
                break;
        }

        head.Headers[head.HeaderCount++] = new HeaderLine(lineStart, colon, lineStart + valueStart, value.Length, forward);
        return true;
    }

    /// <summary>RFC 9112 §6.3: chunked wins over a Content-Length, and such a connection is not reused.</summary>
    public static void Settle(ResponseHead head)
    {
        if (head.Chunked && head.ContentLength >= 0)
        {
            head.ContentLength = -1;
            head.Close = true;
        }
    }

    private static bool LastCodingIsChunked(ReadOnlySpan<byte> value)
    {
        var comma = value.LastIndexOf((byte)',');
        return Ascii.EqualsIgnoreCase(value[(comma + 1)..].Trim(" \t"u8), "chunked"u8);
    }

    private static bool HasToken(ReadOnlySpan<byte> value, ReadOnlySpan<byte> token)
    {
        foreach (var range in value.Split((byte)','))
        {
            if (Ascii.EqualsIgnoreCase(value[range].Trim(" \t"u8), token))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><see cref="Forwarding.HeaderRules.DropFromResponse"/> over bytes (Connection and Transfer-Encoding are handled above).</summary>
    private static bool IsHopByHop(ReadOnlySpan<byte> name) => name.Length switch
    {
        2 => Ascii.EqualsIgnoreCase(name, "TE"u8),
        7 => Ascii.EqualsIgnoreCase(name, "Upgrade"u8),
        10 => Ascii.EqualsIgnoreCase(name, "Keep-Alive"u8),
        16 => Ascii.EqualsIgnoreCase(name, "Proxy-Connection"u8),
        18 => Ascii.EqualsIgnoreCase(name, "Proxy-Authenticate"u8),
        _ => false,
    };

    /// <summary>What a field value may not hold: control bytes but tab, and DEL.</summary>
    private static readonly SearchValues<byte> ControlChars =
        SearchValues.Create("\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\n\v\f\r\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F"u8);

    private static readonly SearchValues<byte> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);
}
