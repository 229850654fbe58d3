using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Slipway.Server.Preflight.Checks;

/// <summary>
/// One SNTP exchange (RFC 4330): the clock offset from the four timestamps, <c>((T2 − T1) + (T3 − T4)) / 2</c>. No
/// library on the mirror does this, and it is 48 bytes each way.
/// </summary>
internal static class SntpQuery
{
    private const int PacketLength = 48;
    private static readonly DateTimeOffset Era = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <returns>How far the server's clock is ahead of <paramref name="time"/>'s (negative: behind).</returns>
    /// <exception cref="SocketException">The server cannot be reached or refuses.</exception>
    /// <exception cref="InvalidDataException">The answer is not an NTP server's answer.</exception>
    public static async Task<TimeSpan> OffsetAsync(EndPoint server, TimeProvider time, CancellationToken cancel)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(server, cancel).ConfigureAwait(false);
        var request = new byte[PacketLength];
        request[0] = 0x23; // leap indicator 0, version 4, mode 3 (client)
        var sent = time.GetUtcNow();
        Write(request.AsSpan(40), sent);
        await socket.SendAsync(request, SocketFlags.None, cancel).ConfigureAwait(false);
        var answer = new byte[PacketLength];
        var length = await socket.ReceiveAsync(answer, SocketFlags.None, cancel).ConfigureAwait(false);
        var received = time.GetUtcNow();
        var mode = answer[0] & 0x7;
        if (length < PacketLength || mode is not (4 or 5) || answer[1] == 0 || !answer.AsSpan(24, 8).SequenceEqual(request.AsSpan(40, 8)))
        {
            throw new InvalidDataException("the answer is not a server's answer to this request (wrong mode, stratum 0, or another origin timestamp)");
        }

        var serverReceived = Read(answer.AsSpan(32));
        var serverSent = Read(answer.AsSpan(40));
        return ((serverReceived - sent) + (serverSent - received)) / 2;
    }

    internal static void Write(Span<byte> destination, DateTimeOffset time)
    {
        var since = time - Era;
        var seconds = (ulong)since.Ticks / TimeSpan.TicksPerSecond;
        var fraction = ((ulong)since.Ticks % TimeSpan.TicksPerSecond << 32) / TimeSpan.TicksPerSecond;
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)seconds);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], (uint)fraction);
    }

    internal static DateTimeOffset Read(ReadOnlySpan<byte> source)
    {
        var seconds = BinaryPrimitives.ReadUInt32BigEndian(source);
        var fraction = BinaryPrimitives.ReadUInt32BigEndian(source[4..]);
        return Era + TimeSpan.FromTicks((long)seconds * TimeSpan.TicksPerSecond + (long)(((ulong)fraction * TimeSpan.TicksPerSecond) >> 32));
    }
}
