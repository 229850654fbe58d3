using System.Buffers.Binary;

namespace Slipway.Proxy.Forwarding;

/// <summary>
/// Follows RFC 6455 frame boundaries in a byte stream without buffering payloads, so the
/// proxy can slip its own Close frame in between two backend frames, never inside one.
/// </summary>
internal sealed class WebSocketFrameTracker
{
    private readonly byte[] _header = new byte[14];
    private int _headerLength;
    private long _payloadRemaining;

    public bool AtBoundary => _headerLength == 0 && _payloadRemaining == 0;

    /// <summary>Consumes bytes up to the end of the next frame that completes in <paramref name="data"/>, or all of them.</summary>
    /// <returns>How many bytes were consumed; <see cref="AtBoundary"/> tells whether a frame just ended.</returns>
    public int Consume(ReadOnlySpan<byte> data)
    {
        var i = 0;
        while (i < data.Length)
        {
            if (_payloadRemaining > 0)
            {
                var take = (int)Math.Min(_payloadRemaining, data.Length - i);
                i += take;
                _payloadRemaining -= take;
                if (_payloadRemaining == 0)
                {
                    return i;
                }

                continue;
            }

            _header[_headerLength++] = data[i++];
            if (_headerLength >= 2 && _headerLength == HeaderSize())
            {
                _payloadRemaining = PayloadLength();
                _headerLength = 0;
                if (_payloadRemaining == 0)
                {
                    return i;
                }
            }
        }

        return i;
    }

    private int HeaderSize()
    {
        var length = _header[1] & 0x7F;
        var extended = length == 126 ? 2 : length == 127 ? 8 : 0;
        var mask = (_header[1] & 0x80) != 0 ? 4 : 0;
        return 2 + extended + mask;
    }

    private long PayloadLength()
    {
        var length = _header[1] & 0x7F;
        return length switch
        {
            126 => BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(2, 2)),
            127 => (long)Math.Min(BinaryPrimitives.ReadUInt64BigEndian(_header.AsSpan(2, 8)), long.MaxValue),
            _ => length,
        };
    }
}
