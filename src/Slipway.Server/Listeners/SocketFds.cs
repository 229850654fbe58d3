using System.Runtime.InteropServices;

namespace Slipway.Server.Listeners;

/// <summary>The few libc calls for handing listening sockets on: duplicate an fd, and put another socket in its place.</summary>
internal static class SocketFds
{
    private const int FDupFdCloexec = 1030;
    private const int OCloexec = 0x80000;

    /// <summary>A new fd for the same socket, closed on exec (so instances never inherit a listener).</summary>
    public static int Duplicate(int fd)
    {
        var copy = fcntl(fd, FDupFdCloexec, 3);
        return copy >= 0 ? copy : throw new IOException($"cannot duplicate fd {fd}: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>
    /// Makes <paramref name="fd"/> refer to <paramref name="replacement"/>'s socket instead, atomically. Whatever owns
    /// <paramref name="fd"/> (Kestrel) then stops accepting from the old socket without closing or shutting it down,
    /// which would also stop a successor that shares it.
    /// </summary>
    public static void Replace(int fd, int replacement)
    {
        if (dup3(replacement, fd, OCloexec) < 0)
        {
            throw new IOException($"cannot replace fd {fd}: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public static void Close(int fd) => _ = close(fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int fcntl(int fd, int command, int argument);

    [DllImport("libc", SetLastError = true)]
    private static extern int dup3(int oldFd, int newFd, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
}
