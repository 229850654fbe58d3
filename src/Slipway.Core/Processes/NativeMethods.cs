using System.Runtime.InteropServices;

namespace Slipway.Core.Processes;

/// <summary>
/// The few libc calls the runner needs (Linux, glibc ≥ 2.29 for <c>addchdir_np</c>). Opaque libc
/// structures get generously sized unmanaged buffers rather than hard-coded layouts.
/// </summary>
internal static partial class NativeMethods
{
    private const string Libc = "libc";

    public const short PosixSpawnSetSigDefault = 0x04;
    public const short PosixSpawnSetSigMask = 0x08;
    public const short PosixSpawnSetSid = 0x80;

    public const int ORdOnly = 0x0;
    public const int OWrOnly = 0x1;
    public const int OCreat = 0x40;
    public const int OAppend = 0x400;

    public const int WNoHang = 1;
    public const int ESrch = 3;
    public const int EChild = 10;
    public const int EIntr = 4;

    /// <summary>Larger than glibc's posix_spawnattr_t (336 bytes), file actions (80) and sigset_t (128).</summary>
    public const int OpaqueSize = 1024;

    [DllImport(Libc, SetLastError = true)]
    public static extern int posix_spawnp(out int pid, [MarshalAs(UnmanagedType.LPUTF8Str)] string file, IntPtr fileActions, IntPtr attr, IntPtr[] argv, IntPtr[] envp);

    [DllImport(Libc)]
    public static extern int posix_spawn_file_actions_init(IntPtr fileActions);

    [DllImport(Libc)]
    public static extern int posix_spawn_file_actions_destroy(IntPtr fileActions);

    [DllImport(Libc)]
    public static extern int posix_spawn_file_actions_addopen(IntPtr fileActions, int fd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int oflag, int mode);

    [DllImport(Libc)]
    public static extern int posix_spawn_file_actions_addchdir_np(IntPtr fileActions, [MarshalAs(UnmanagedType.LPUTF8Str)] string path);

    [DllImport(Libc)]
    public static extern int posix_spawnattr_init(IntPtr attr);

    [DllImport(Libc)]
    public static extern int posix_spawnattr_destroy(IntPtr attr);

    [DllImport(Libc)]
    public static extern int posix_spawnattr_setflags(IntPtr attr, short flags);

    [DllImport(Libc)]
    public static extern int posix_spawnattr_setsigmask(IntPtr attr, IntPtr sigset);

    [DllImport(Libc)]
    public static extern int posix_spawnattr_setsigdefault(IntPtr attr, IntPtr sigset);

    [DllImport(Libc)]
    public static extern int sigemptyset(IntPtr set);

    [DllImport(Libc)]
    public static extern int sigaddset(IntPtr set, int signal);

    [DllImport(Libc, SetLastError = true)]
    public static extern int kill(int pid, int signal);

    [DllImport(Libc, SetLastError = true)]
    public static extern int waitpid(int pid, out int status, int options);

    [DllImport(Libc, SetLastError = true)]
    public static extern long sysconf(int name);

    /// <summary>_SC_CLK_TCK on Linux.</summary>
    public const int ScClkTck = 2;

    [DllImport(Libc)]
    public static extern uint geteuid();

    /// <summary>A <c>struct passwd</c> in libc's static buffer (not thread-safe: callers copy out under a lock), or zero.</summary>
    [DllImport(Libc, SetLastError = true)]
    public static extern IntPtr getpwnam([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [DllImport(Libc, SetLastError = true)]
    public static extern int chown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint owner, uint group);

    /// <summary>bind(2) itself: .NET's Socket.Bind sets SO_REUSEADDR on every TCP socket first, which a trial bind
    /// must not (see LoopbackPorts).</summary>
    [DllImport(Libc, SetLastError = true)]
    public static extern int bind(IntPtr socket, byte[] address, uint addressLength);

    [DllImport(Libc)]
    private static extern IntPtr strerror(int errnum);

    public static string ErrorText(int errno) => Marshal.PtrToStringUTF8(strerror(errno)) ?? $"errno {errno}";
}
