using System.Buffers;

namespace Slipway.Proxy.FastPath;

/// <summary>
/// A request body the fast path forwards whole: it must be all in the connection's buffer behind its head, within
/// the size the fast path holds, and for a chunked one in the plainest form (sizes in hex without leading zeros,
/// no extensions, no trailers). Anything else (a body still on its way, a chunk extension, trailers, a malformed
/// or overflowing size) leaves the request to the general path, which streams or refuses it as it always did, so
/// the two engines cannot disagree on where a body ends.
/// </summary>
internal static class RequestBodyReader
{
    /// <summary>The most hex digits of a chunk size: more is larger than any body the fast path holds.</summary>
    private const int MaxSizeDigits = 7;

    /// <summary>True when <paramref name="body"/> starts with a whole body framed as <paramref name="head"/> says; sets its lengths.</summary>
    public static bool TryFrame(in ReadOnlySequence<byte> body, RequestHead head, long maxBody)
    {
        switch (head.Framing)
        {
            case BodyFraming.Length:
                head.WireLength = head.BodyLength;
                return head.BodyLength <= maxBody && body.Length >= head.BodyLength;
            case BodyFraming.Chunked:
                if (!TryScan(body, maxBody, out var payload, out var wire))
                {
                    return false;
                }

                (head.BodyLength, head.WireLength) = (payload, wire);
                return true;
            default:
                head.WireLength = 0;
                return true;
        }
    }

    /// <summary>Copies the payload of a chunked body <see cref="TryFrame"/> accepted into <paramref name="destination"/>.</summary>
    public static void CopyPayload(in ReadOnlySequence<byte> body, Span<byte> destination)
    {
        var reader = new SequenceReader<byte>(body);
        var written = 0;
        while (TryReadSize(ref reader, out var size) && size > 0)
        {
            reader.TryCopyTo(destination.Slice(written, (int)size));
            reader.Advance(size + 2);
            written += (int)size;
        }
    }

    private static bool TryScan(in ReadOnlySequence<byte> body, long maxBody, out long payload, out long wire)
    {
        var reader = new SequenceReader<byte>(body);
        payload = 0;
        wire = 0;
        while (true)
        {
            if (!TryReadSize(ref reader, out var size))
            {
                return false;
            }

            if (size == 0)
            {
                // No trailer section: the empty line right after the last chunk.
                if (!reader.IsNext("\r\n"u8, advancePast: true))
                {
                    return false;
                }

                wire = reader.Consumed;
                return true;
            }

            payload += size;
            if (payload > maxBody || reader.Remaining < size + 2)
            {
                return false;
            }

            reader.Advance(size);
            if (!reader.IsNext("\r\n"u8, advancePast: true))
            {
                return false;
            }
        }
    }

    /// <summary>A size line of hex digits alone (no leading zero but for the last chunk's), CRLF-ended.</summary>
    private static bool TryReadSize(ref SequenceReader<byte> reader, out long size)
    {
        size = 0;
        var digits = 0;
        while (reader.TryPeek(out var b) && ChunkDecoder.HexValue(b) is >= 0 and var value)
        {
            if (digits == MaxSizeDigits || (digits == 1 && size == 0))
            {
                return false;
            }

            size = (size << 4) | (long)value;
            digits++;
            reader.Advance(1);
        }

        return digits > 0 && reader.IsNext("\r\n"u8, advancePast: true);
    }
}
