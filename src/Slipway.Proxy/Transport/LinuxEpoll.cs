using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Slipway.Proxy.Transport;

/// <summary>
/// The libc calls of the readiness engine (Linux only): epoll, a non-blocking <c>recv</c>, <c>send</c> and <c>connect</c>. Hand-written rather than
/// taken from a package (Directory.Packages.props says why). <c>struct epoll_event</c> is packed to 12 bytes on x86 and
/// x64 and 16 bytes (its 64-bit data aligned) elsewhere, so events are written and read through <see cref="EventSize"/>
/// and <see cref="DataOffset"/> rather than a managed struct.
/// </summary>
internal static unsafe partial class LinuxEpoll
{
    public const int CloseOnExec = 0x80000;
    public const int Add = 1;
    public const int Delete = 2;

    public const uint Readable = 0x001;
    public const uint Writable = 0x004;
    public const uint ReadHangUp = 0x2000;
    public const uint Error = 0x008;
    public const uint HangUp = 0x010;
    public const uint EdgeTriggered = 1u << 31;

    /// <summary><c>MSG_DONTWAIT</c>: the receive never blocks, whatever the socket's mode.</summary>
    public const int DontWait = 0x40;

    /// <summary><c>MSG_NOSIGNAL</c>: a send to a socket the peer closed fails with <c>EPIPE</c> rather than raising <c>SIGPIPE</c>.</summary>
    public const int NoSignal = 0x4000;

    public const int WouldBlock = 11;
    public const int Interrupted = 4;
    public const int InProgress = 115;

    private const string Libc = "libc";

    public static readonly bool Packed = RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86;

    public static int EventSize => Packed ? 12 : 16;

    public static int DataOffset => Packed ? 4 : 8;

    [LibraryImport(Libc, EntryPoint = "epoll_create1", SetLastError = true)]
    public static partial int Create(int flags);

    [LibraryImport(Libc, EntryPoint = "epoll_ctl", SetLastError = true)]
    public static partial int Control(int epoll, int operation, int fd, byte* @event);

    [LibraryImport(Libc, EntryPoint = "epoll_wait", SetLastError = true)]
    public static partial int Wait(int epoll, byte* events, int maxEvents, int timeout);

    [LibraryImport(Libc, EntryPoint = "recv", SetLastError = true)]
    public static partial nint Receive(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport(Libc, EntryPoint = "send", SetLastError = true)]
    public static partial nint Send(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport(Libc, EntryPoint = "connect", SetLastError = true)]
    public static partial int Connect(int fd, byte* address, int length);

    [LibraryImport(Libc, EntryPoint = "getsockopt", SetLastError = true)]
    public static partial int GetOption(int fd, int level, int name, int* value, int* length);

    /// <summary>A connect's outcome once the socket became writable: <c>getsockopt(SOL_SOCKET, SO_ERROR)</c>, 0 when connected.</summary>
    public static int PendingError(int fd)
    {
        int value = 0, length = sizeof(int);
        return GetOption(fd, 1, 4, &value, &length) == 0 ? value : Marshal.GetLastPInvokeError();
    }

    /// <summary>The <see cref="SocketError"/> a failed call's errno stands for, as .NET's socket engine reports it.</summary>
    public static SocketError ToSocketError(int errno) => errno switch
    {
        104 => SocketError.ConnectionReset,
        103 => SocketError.ConnectionAborted,
        107 => SocketError.NotConnected,
        110 => SocketError.TimedOut,
        111 => SocketError.ConnectionRefused,
        32 => SocketError.Shutdown,
        9 => SocketError.OperationAborted,
        12 or 105 => SocketError.NoBufferSpaceAvailable,
        _ => SocketError.SocketError,
    };
}
