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

    /// <summary>
    /// <c>recvfrom</c> and <c>sendto</c> by number where we know it. glibc's <c>recv</c> and <c>send</c> are
    /// cancellation points: each call switches the thread to asynchronous cancellation and back around the system call
    /// (two atomic read-modify-writes of the thread's cancel state), for a <c>pthread_cancel</c> nothing here uses.
    /// <c>syscall(3)</c> makes the same system call without that. Elsewhere (another architecture) the libc calls.
    /// </summary>
    private static readonly (nint Receive, nint Send) Numbers = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => (45, 44),
        Architecture.Arm64 => (207, 206),
        _ => (0, 0),
    };

    /// <summary>A non-blocking receive (<paramref name="flags"/> with <see cref="DontWait"/>): the count, or -1 and errno.</summary>
    public static nint Receive(int fd, byte* buffer, nuint length, int flags) =>
        Numbers.Receive != 0 ? SystemCall(Numbers.Receive, fd, buffer, length, flags, 0, 0) : LibcReceive(fd, buffer, length, flags);

    /// <summary>A non-blocking send (<paramref name="flags"/> with <see cref="DontWait"/>): the count, or -1 and errno.</summary>
    public static nint Send(int fd, byte* buffer, nuint length, int flags) =>
        Numbers.Send != 0 ? SystemCall(Numbers.Send, fd, buffer, length, flags, 0, 0) : LibcSend(fd, buffer, length, flags);

    [LibraryImport(Libc, EntryPoint = "recv", SetLastError = true)]
    private static partial nint LibcReceive(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport(Libc, EntryPoint = "send", SetLastError = true)]
    private static partial nint LibcSend(int fd, byte* buffer, nuint length, int flags);

    /// <summary>
    /// <c>syscall(3)</c> with six arguments. Declared variadic in C; its x64 and arm64 implementations are a plain
    /// register shuffle that reads no variadic state, so a fixed signature calls it correctly there (the only
    /// architectures <see cref="Numbers"/> names).
    /// </summary>
    [LibraryImport(Libc, EntryPoint = "syscall", SetLastError = true)]
    private static partial nint SystemCall(nint number, nint fd, byte* buffer, nuint length, nint flags, nint address, nint addressLength);

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
