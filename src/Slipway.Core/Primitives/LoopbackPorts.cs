using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Slipway.Core.Processes;

namespace Slipway.Core.Primitives;

/// <summary>
/// Hands out a free TCP port on 127.0.0.1 for a child that must be told its port (an instance's <c>${PORT}</c>, a
/// scratch PostgreSQL), from a range outside the kernel's ephemeral one.
/// </summary>
/// <remarks>
/// Binding port 0 and closing would give a port from <c>net.ipv4.ip_local_port_range</c> (32768-60999 by default), the
/// range every outgoing connect() takes its source port from: between the close and the child's bind, any connection
/// on the machine (the proxy's own backend connections, thousands under load) can take it, and the child fails to
/// bind. So ports come from <see cref="DefaultFirst"/>-<see cref="DefaultLast"/> (below the tests' FreePort range,
/// 23000-32767, so a test's servers and a daemon's instances do not meet), minus whatever part of it the kernel's
/// range covers, read afresh on each call. A port anything is bound to (a listener, a connection, a TIME_WAIT) is
/// skipped by a trial bind(2) without SO_REUSEADDR. Within the process each port is handed out once per pass (a counter
/// from a random start), so two instances started at once never get the same one. When no port outside the kernel's
/// range is left (a range widened to 1024-65535, common on busy proxies) or every one is taken, the kernel chooses
/// (port 0), as before: the race comes back there, but nothing refuses to start.
/// </remarks>
internal sealed class LoopbackPorts
{
    public const int DefaultFirst = 15000;
    public const int DefaultLast = 22999;

    private const string EphemeralRangePath = "/proc/sys/net/ipv4/ip_local_port_range";

    private readonly int _first;
    private readonly int _last;
    private readonly Func<string?> _ephemeralRange;
    private int _next;

    /// <param name="first">The lowest port handed out.</param>
    /// <param name="last">The highest port handed out.</param>
    /// <param name="ephemeralRange">The text of ip_local_port_range ("32768\t60999"); null or malformed when unknown,
    /// and then no port is excluded.</param>
    /// <param name="start">Where the first pass starts, within first-last.</param>
    public LoopbackPorts(int first, int last, Func<string?> ephemeralRange, int start)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(first, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(last, IPEndPoint.MaxPort);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first, last);
        ArgumentOutOfRangeException.ThrowIfLessThan(start, first);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start, last);
        _first = first;
        _last = last;
        _ephemeralRange = ephemeralRange;
        _next = start - 1;
    }

    /// <summary>The daemon's one source of instance ports: 15000-22999 outside the machine's ephemeral range.</summary>
    public static LoopbackPorts Instances { get; } =
        new(DefaultFirst, DefaultLast, ReadKernelRange, Random.Shared.Next(DefaultFirst, DefaultLast + 1));

    public int Next()
    {
        var (low, high) = ParseRange(_ephemeralRange());
        if (low > _first || high < _last)
        {
            var count = (uint)(_last - _first + 1);
            for (var tries = 0u; tries < count; tries++)
            {
                var port = _first + (int)((uint)(Interlocked.Increment(ref _next) - _first) % count);
                if ((port < low || port > high) && IsFree(port))
                {
                    return port;
                }
            }
        }

        return KernelPort();
    }

    /// <summary>The kernel's ephemeral range, or an empty range (1, 0) when the text is missing or malformed.</summary>
    private static (int Low, int High) ParseRange(string? text)
    {
        var parts = text?.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
        return parts is [var lowText, var highText]
            && int.TryParse(lowText, NumberStyles.None, CultureInfo.InvariantCulture, out var low)
            && int.TryParse(highText, NumberStyles.None, CultureInfo.InvariantCulture, out var high)
            && low <= high
                ? (low, high)
                : (1, 0);
    }

    private static string? ReadKernelRange()
    {
        try
        {
            return File.ReadAllText(EphemeralRangePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsFree(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

        // bind(2) without SO_REUSEADDR fails on any socket that holds the port (bound, listening, connected, in
        // TIME_WAIT), as a child's own bind without it would. Socket.Bind cannot say this: .NET sets SO_REUSEADDR on
        // every TCP socket before it binds, and then a port merely bound by another such socket passes.
        // sockaddr_in: family (host order), port (network order), 127.0.0.1, 8 bytes of padding.
        byte[] address = [(byte)AddressFamily.InterNetwork, 0, (byte)(port >> 8), (byte)port, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0];
        return NativeMethods.bind(socket.Handle, address, (uint)address.Length) == 0;
    }

    private static int KernelPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
