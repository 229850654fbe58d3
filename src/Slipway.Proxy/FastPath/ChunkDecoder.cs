namespace Slipway.Proxy.FastPath;

/// <summary>
/// Reads a chunked body (RFC 9112 §7.1) step by step over whatever bytes have arrived: sizes validated (hex, at most
/// 15 digits, so no overflow), extensions skipped, each chunk's CRLF checked, trailers read and dropped (the general
/// path sends none over HTTP/1.1 either). No allocation; one per response.
/// </summary>
internal struct ChunkDecoder
{
    private const int MaxLine = 4096;
    private const int MaxTrailers = 64 * 1024;

    private State _state;
    private long _remaining;
    private int _trailerBytes;

    private enum State
    {
        Size,
        Data,
        DataEnd,
        Trailer,
    }

    /// <summary>The next step over <paramref name="input"/>; for <see cref="ChunkStep.Data"/> the payload is its first <paramref name="count"/> bytes.</summary>
    public ChunkStep Next(ReadOnlySpan<byte> input, out int count)
    {
        count = 0;
        switch (_state)
        {
            case State.Data:
                if (input.IsEmpty)
                {
                    return ChunkStep.NeedMore;
                }

                count = (int)Math.Min(_remaining, input.Length);
                _remaining -= count;
                if (_remaining == 0)
                {
                    _state = State.DataEnd;
                }

                return ChunkStep.Data;
            case State.DataEnd:
                if (input.Length < 2)
                {
                    return ChunkStep.NeedMore;
                }

                if (input[0] != '\r' || input[1] != '\n')
                {
                    return ChunkStep.Error;
                }

                count = 2;
                _state = State.Size;
                return ChunkStep.Skip;
            case State.Size:
                return SizeLine(input, out count);
            default:
                var end = input.IndexOf("\r\n"u8);
                if (end < 0)
                {
                    return input.Length > MaxLine ? ChunkStep.Error : ChunkStep.NeedMore;
                }

                count = end + 2;
                _trailerBytes += count;
                return end == 0 ? ChunkStep.Done : _trailerBytes > MaxTrailers ? ChunkStep.Error : ChunkStep.Skip;
        }
    }

    private ChunkStep SizeLine(ReadOnlySpan<byte> input, out int count)
    {
        count = 0;
        var end = input.IndexOf("\r\n"u8);
        if (end < 0)
        {
            return input.Length > MaxLine ? ChunkStep.Error : ChunkStep.NeedMore;
        }

        var line = input[..end];
        long size = 0;
        var digits = 0;
        while (digits < line.Length && HexValue(line[digits]) is >= 0 and var value)
        {
            size = (size << 4) | (long)value;
            digits++;
        }

        var rest = line[digits..].TrimStart(" \t"u8);
        if (digits is 0 or > 15 || (!rest.IsEmpty && rest[0] != ';') || rest.IndexOfAny((byte)'\r', (byte)'\n', (byte)0) >= 0)
        {
            return ChunkStep.Error;
        }

        count = end + 2;
        (_state, _remaining) = size == 0 ? (State.Trailer, 0L) : (State.Data, size);
        return ChunkStep.Skip;
    }

    /// <summary>A hex digit's value, or -1; shared with <see cref="RequestBodyReader"/>.</summary>
    internal static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
