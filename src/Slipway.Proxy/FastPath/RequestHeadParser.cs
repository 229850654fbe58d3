using System.Buffers;
using System.Buffers.Text;
using System.Text;
using Microsoft.AspNetCore.Http;
using Slipway.Proxy.Forwarding;

namespace Slipway.Proxy.FastPath;

/// <summary>
/// A strict RFC 9112 reader for the request heads the fast path forwards itself. It accepts a subset of what the
/// general path accepts and nothing it refuses: whatever it does not accept goes to the general path untouched
/// (the bytes stay in the pipe), which answers malformed requests exactly as it always did. So the refusals (bare
/// CR or LF, obs-fold, whitespace before a colon, NUL, CL+TE, duplicate Content-Length, over-long sections) are by
/// construction the same on both engines.
/// </summary>
internal static class RequestHeadParser
{
    private static ReadOnlySpan<byte> EndOfHead => "\r\n\r\n"u8;

    private static ReadOnlySpan<byte> Version => " HTTP/1.1\r\n"u8;

    /// <param name="maxBody">The largest body the fast path takes (held whole in the connection's buffer); larger ones are the general path's.</param>
    public static HeadParse Parse(in ReadOnlySequence<byte> input, RequestHead head, long maxBody)
    {
        head.Clear();
        var length = HeadLength(input);
        if (length < 0)
        {
            return input.Length >= RequestHead.MaxLength ? HeadParse.General : HeadParse.Incomplete;
        }

        if (length > RequestHead.MaxLength)
        {
            return HeadParse.General;
        }

        input.Slice(0, length).CopyTo(head.Buffer);
        head.Length = (int)length;
        return ParseHead(head) && RequestBodyReader.TryFrame(input.Slice(length), head, maxBody) ? HeadParse.Parsed : HeadParse.General;
    }

    /// <summary>
    /// Bytes up to and including the head's empty line, or -1 while it has not come. A head read whole in one segment
    /// (nearly every one) is searched as a span; only one split across segments takes the sequence reader.
    /// </summary>
    private static long HeadLength(in ReadOnlySequence<byte> input)
    {
        if (input.IsSingleSegment)
        {
            var end = input.FirstSpan.IndexOf(EndOfHead);
            return end < 0 ? -1 : end + EndOfHead.Length;
        }

        var reader = new SequenceReader<byte>(input);
        return reader.TryReadTo(out ReadOnlySequence<byte> _, EndOfHead, advancePastDelimiter: true) ? reader.Consumed : -1;
    }

    private static bool ParseHead(RequestHead head)
    {
        var bytes = head.Buffer.AsSpan(0, head.Length);
        var space = bytes.IndexOf((byte)' ');
        if (space <= 0 || MethodOf(bytes[..space]) is not { } method)
        {
            return false;
        }

        head.Method = method;
        var targetStart = space + 1;
        var targetLength = bytes[targetStart..].IndexOf((byte)' ');
        if (targetLength <= 0 || !ParseTarget(bytes.Slice(targetStart, targetLength), out var pathLength))
        {
            return false;
        }

        (head.TargetStart, head.TargetLength, head.PathLength) = (targetStart, targetLength, pathLength);
        var position = targetStart + targetLength;
        if (!bytes[position..].StartsWith(Version))
        {
            return false;
        }

        position += Version.Length;
        var requestIdSeen = false;
        while (true)
        {
            var line = bytes[position..];
            var end = line.IndexOf("\r\n"u8);
            if (end == 0)
            {
                break;
            }

            if (end < 0 || head.HeaderCount == RequestHead.MaxHeaders || !ParseHeader(head, position, line[..end], ref requestIdSeen))
            {
                return false;
            }

            position += end + 2;
        }

        return head.Host >= 0 && !HasRepeatedHeader(head) && SettleFraming(head);
    }

    /// <summary>
    /// One framing or none: Content-Length and Transfer-Encoding together (the smuggling shape the general path
    /// refuses), a zero length, or fields describing content without any (the general path drops those) are its to
    /// answer.
    /// </summary>
    private static bool SettleFraming(RequestHead head)
    {
        if (head.ContentLength >= 0)
        {
            if (head.Framing != BodyFraming.None || !Utf8Parser.TryParse(head.Value(head.ContentLength), out long length, out var used)
                || used != head.Value(head.ContentLength).Length || length <= 0)
            {
                return false;
            }

            (head.Framing, head.BodyLength) = (BodyFraming.Length, length);
        }

        return head.Framing != BodyFraming.None || !head.HasContentFields;
    }

    /// <summary>Origin form only, visible ASCII, and a path Kestrel would not rewrite (no percent-escapes, no dot segments).</summary>
    private static bool ParseTarget(ReadOnlySpan<byte> target, out int pathLength)
    {
        pathLength = target.IndexOf((byte)'?');
        if (pathLength < 0)
        {
            pathLength = target.Length;
        }

        if (target[0] != '/' || target.IndexOfAnyExceptInRange((byte)0x21, (byte)0x7E) >= 0 || target.Contains((byte)'#'))
        {
            return false;
        }

        var path = target[..pathLength];
        return !path.Contains((byte)'%') && path.IndexOf("/."u8) < 0;
    }

    private static bool ParseHeader(RequestHead head, int lineStart, ReadOnlySpan<byte> line, ref bool requestIdSeen)
    {
        var colon = line.IndexOf((byte)':');
        if (colon <= 0 || !IsToken(line[..colon]))
        {
            // Also an obs-fold line (it starts with whitespace) and whitespace before the colon.
            return false;
        }

        var value = line[(colon + 1)..];
        var valueStart = colon + 1;
        while (!value.IsEmpty && value[0] is (byte)' ' or (byte)'\t')
        {
            value = value[1..];
            valueStart++;
        }

        value = value.TrimEnd(" \t"u8);
        if (!IsFieldValue(value))
        {
            return false;
        }

        var name = line[..colon];
        var index = head.HeaderCount;
        var forward = true;
        switch (Classify(name))
        {
            case Kind.General:
                return false;
            case Kind.Host:
                if (head.Host >= 0 || value.IsEmpty || value.IndexOfAnyExcept(HostChars) >= 0)
                {
                    return false;
                }

                head.Host = index;
                forward = false;
                break;
            case Kind.Connection:
                if (!ParseConnection(value, out var close))
                {
                    return false;
                }

                head.Close |= close;
                forward = false;
                break;
            case Kind.RequestId:
                // Kept when it is the only one and well formed (RequestIds.Accept's rules); the proxy's own id replaces it otherwise.
                head.RequestId = !requestIdSeen && RequestIds.IsAcceptable(value) ? index : -1;
                requestIdSeen = true;
                forward = false;
                break;
            case Kind.Drop:
                forward = false;
                break;
            case Kind.ContentLength:
                // Digits only (no sign, no list, no leading zero: the general path sends the number it parsed, not
                // the client's spelling): checked with the other framing field once all are read.
                if (value.IsEmpty || value[0] == '0' || value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0 || value.Length > 15)
                {
                    return false;
                }

                head.ContentLength = index;
                head.HasContentFields = true;
                break;
            case Kind.TransferEncoding:
                // Exactly chunked: any other coding or list (and the obfuscations) is the general path's.
                if (!Ascii.EqualsIgnoreCase(value, "chunked"u8))
                {
                    return false;
                }

                head.Framing = BodyFraming.Chunked;
                forward = false;
                break;
            case Kind.ContentField:
                head.HasContentFields = true;
                break;
        }

        head.Headers[index] = new HeaderLine(lineStart, colon, lineStart + valueStart, value.Length, forward);
        head.HeaderCount = index + 1;
        return true;
    }

    /// <summary>The general path merges repeated headers into one line; the fast path leaves such requests to it.</summary>
    private static bool HasRepeatedHeader(RequestHead head)
    {
        for (var i = 1; i < head.HeaderCount; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (Ascii.EqualsIgnoreCase(head.Name(i), head.Name(j)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool ParseConnection(ReadOnlySpan<byte> value, out bool close)
    {
        close = false;
        foreach (var range in value.Split((byte)','))
        {
            var token = value[range].Trim(" \t"u8);
            if (Ascii.EqualsIgnoreCase(token, "close"u8))
            {
                close = true;
            }
            else if (!Ascii.EqualsIgnoreCase(token, "keep-alive"u8))
            {
                // Upgrade, or a header named hop-by-hop: the general path's business.
                return false;
            }
        }

        return true;
    }

    private static string? MethodOf(ReadOnlySpan<byte> method) => method switch
    {
        _ when method.SequenceEqual("GET"u8) => HttpMethods.Get,
        _ when method.SequenceEqual("HEAD"u8) => HttpMethods.Head,
        _ when method.SequenceEqual("DELETE"u8) => HttpMethods.Delete,
        _ when method.SequenceEqual("OPTIONS"u8) => HttpMethods.Options,
        _ when method.SequenceEqual("POST"u8) => HttpMethods.Post,
        _ when method.SequenceEqual("PUT"u8) => HttpMethods.Put,
        _ when method.SequenceEqual("PATCH"u8) => HttpMethods.Patch,
        _ => null,
    };

    private static Kind Classify(ReadOnlySpan<byte> name)
    {
        if (name.Length > 8 && Ascii.EqualsIgnoreCase(name[..8], "Content-"u8))
        {
            // The headers that describe a body (HttpClient's content headers): forwarded with one, dropped without.
            return name.Length == 14 && Is(name, "Content-Length"u8) ? Kind.ContentLength : Kind.ContentField;
        }

        return name.Length switch
        {
            2 => Is(name, "TE"u8) ? Kind.Drop : Kind.Forward,
            4 => Is(name, "Host"u8) ? Kind.Host : Kind.Forward,
            5 => Is(name, "Allow"u8) ? Kind.ContentField : Kind.Forward,
            6 => Is(name, "Expect"u8) ? Kind.General : Kind.Forward,
            7 => Is(name, "Upgrade"u8) ? Kind.General : Is(name, "Expires"u8) ? Kind.ContentField : Kind.Forward,
            9 => Is(name, "Forwarded"u8) || Is(name, "X-Real-IP"u8) ? Kind.Drop : Kind.Forward,
            10 => Is(name, "Connection"u8) ? Kind.Connection : Is(name, "Keep-Alive"u8) ? Kind.Drop : Kind.Forward,
            12 => Is(name, "X-Request-Id"u8) ? Kind.RequestId : Kind.Forward,
            13 => Is(name, "HTTP2-Settings"u8) ? Kind.General : Is(name, "Last-Modified"u8) ? Kind.ContentField : Kind.Forward,
            15 => Is(name, "X-Forwarded-For"u8) ? Kind.Drop : Kind.Forward,
            // X-Content-Length is how Kestrel marks a request it re-framed; the general path judges one a client sends.
            16 => Is(name, "X-Forwarded-Host"u8) || Is(name, "Proxy-Connection"u8) ? Kind.Drop : Is(name, "X-Content-Length"u8) ? Kind.General : Kind.Forward,
            17 => Is(name, "Transfer-Encoding"u8) ? Kind.TransferEncoding : Is(name, "X-Forwarded-Proto"u8) ? Kind.Drop : Kind.Forward,
            18 => Is(name, "Proxy-Authenticate"u8) ? Kind.Drop : Kind.Forward,
            19 => Is(name, "Proxy-Authorization"u8) ? Kind.Drop : Kind.Forward,
            _ => Kind.Forward,
        };
    }

    private static bool Is(ReadOnlySpan<byte> name, ReadOnlySpan<byte> known) => Ascii.EqualsIgnoreCase(name, known);

    private static bool IsToken(ReadOnlySpan<byte> name) => name.IndexOfAnyExcept(TokenChars) < 0;

    /// <summary>Visible ASCII, space and tab: no control bytes (CR, LF, NUL) and, to keep both engines' bytes equal, no obs-text.</summary>
    private static bool IsFieldValue(ReadOnlySpan<byte> value)
    {
        foreach (var b in value)
        {
            if (b is < 0x20 and not (byte)'\t' or >= 0x7F)
            {
                return false;
            }
        }

        return true;
    }

    private static readonly SearchValues<byte> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    private static readonly SearchValues<byte> HostChars =
        SearchValues.Create("-.:[]_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    private enum Kind
    {
        Forward,
        Drop,
        General,
        Host,
        Connection,
        RequestId,
        ContentLength,
        TransferEncoding,
        ContentField,
    }
}
