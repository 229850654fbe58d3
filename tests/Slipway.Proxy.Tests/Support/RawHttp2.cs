using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Slipway.Proxy.Tests.Support;

/// <summary>
/// Just enough HTTP/2 (prior knowledge, h2c) to send what HttpClient cannot: a request with
/// trailers. HPACK literals only, no Huffman; reads back the DATA of stream 1.
/// </summary>
internal static class RawHttp2
{
    private const byte Data = 0x0;
    private const byte Headers = 0x1;
    private const byte Settings = 0x4;
    private const byte EndStream = 0x1;
    private const byte EndHeaders = 0x4;

    public static async Task<string> PostWithTrailersAsync(int port, string path, string body, params (string Name, string Value)[] trailers)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        var stream = tcp.GetStream();
        var output = new MemoryStream();
        output.Write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8);
        WriteFrame(output, Settings, 0, 0, []);
        WriteFrame(output, Headers, EndHeaders, 1, Hpack((":method", "POST"), (":scheme", "http"), (":path", path), (":authority", "h")));
        WriteFrame(output, Data, 0, 1, Encoding.ASCII.GetBytes(body));
        WriteFrame(output, Headers, EndHeaders | EndStream, 1, Hpack(trailers));
        await stream.WriteAsync(output.ToArray());

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = new MemoryStream();
        var header = new byte[9];
        while (true)
        {
            await stream.ReadExactlyAsync(header, timeout.Token);
            var length = (header[0] << 16) | (header[1] << 8) | header[2];
            var (type, flags) = (header[3], header[4]);
            var id = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(5)) & int.MaxValue;
            var payload = new byte[length];
            await stream.ReadExactlyAsync(payload, timeout.Token);
            if (type == Settings && (flags & 0x1) == 0)
            {
                var ack = new MemoryStream();
                WriteFrame(ack, Settings, 0x1, 0, []);
                await stream.WriteAsync(ack.ToArray(), timeout.Token);
            }
            else if (id == 1 && type == Data)
            {
                received.Write(payload);
            }
            else if (type is 0x3 or 0x7)
            {
                // RST_STREAM or GOAWAY: what arrived so far is the answer.
                break;
            }

            if (id == 1 && type is Data or Headers && (flags & EndStream) != 0)
            {
                break;
            }
        }

        return Encoding.UTF8.GetString(received.ToArray());
    }

    private static void WriteFrame(MemoryStream output, byte type, byte flags, int stream, byte[] payload)
    {
        Span<byte> header = stackalloc byte[9];
        header[0] = (byte)(payload.Length >> 16);
        header[1] = (byte)(payload.Length >> 8);
        header[2] = (byte)payload.Length;
        header[3] = type;
        header[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(header[5..], stream);
        output.Write(header);
        output.Write(payload);
    }

    /// <summary>Each field as a literal without indexing, new name, no Huffman (RFC 7541 §6.2.2); names and values under 127 bytes.</summary>
    private static byte[] Hpack(params (string Name, string Value)[] fields)
    {
        var block = new MemoryStream();
        foreach (var (name, value) in fields)
        {
            block.WriteByte(0);
            block.WriteByte((byte)name.Length);
            block.Write(Encoding.ASCII.GetBytes(name));
            block.WriteByte((byte)value.Length);
            block.Write(Encoding.ASCII.GetBytes(value));
        }

        return block.ToArray();
    }
}
