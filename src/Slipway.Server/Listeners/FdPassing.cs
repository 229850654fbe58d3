using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Slipway.Server.Listeners;

/// <summary>
/// Open file descriptors sent to another process over a Unix socket (SCM_RIGHTS), as HAProxy's seamless reload and
/// Envoy's hot restart do: the receiver gets its own fds for the very same sockets. One message: a line of text with
/// the fds beside it. Linux, 64-bit (msghdr and cmsghdr laid out as glibc does there).
/// </summary>
internal static class FdPassing
{
    private const int SolSocket = 1;
    private const int ScmRights = 1;
    private const int MsgCmsgCloexec = 0x40000000;
    private const int CmsgHeader = 16;
    private const int MaxFds = 64;

    public static void Send(Socket unix, string text, IReadOnlyList<int> fds)
    {
        var data = Encoding.UTF8.GetBytes(text);
        var controlLength = CmsgHeader + (fds.Count * sizeof(int));
        var space = Align(controlLength);
        var buffer = Marshal.AllocHGlobal(data.Length);
        var control = Marshal.AllocHGlobal(space);
        var iov = Marshal.AllocHGlobal(16);
        var msg = Marshal.AllocHGlobal(56);
        try
        {
            Marshal.Copy(data, 0, buffer, data.Length);
            Zero(control, space);
            Marshal.WriteInt64(control, 0, controlLength);
            Marshal.WriteInt32(control, 8, SolSocket);
            Marshal.WriteInt32(control, 12, ScmRights);
            for (var i = 0; i < fds.Count; i++)
            {
                Marshal.WriteInt32(control, CmsgHeader + (i * sizeof(int)), fds[i]);
            }

            WriteMessage(msg, iov, buffer, data.Length, control, space);
            if (sendmsg((int)unix.Handle, msg, 0) != data.Length)
            {
                throw new IOException($"cannot hand the listeners over: sendmsg failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            Marshal.FreeHGlobal(buffer);
            Marshal.FreeHGlobal(control);
            Marshal.FreeHGlobal(iov);
            Marshal.FreeHGlobal(msg);
        }
    }

    /// <summary>Waits for one message; the fds come back close-on-exec.</summary>
    public static (string Text, List<int> Fds) Receive(Socket unix, int maxBytes = 64 * 1024)
    {
        var space = Align(CmsgHeader + (MaxFds * sizeof(int)));
        var buffer = Marshal.AllocHGlobal(maxBytes);
        var control = Marshal.AllocHGlobal(space);
        var iov = Marshal.AllocHGlobal(16);
        var msg = Marshal.AllocHGlobal(56);
        try
        {
            Zero(control, space);
            WriteMessage(msg, iov, buffer, maxBytes, control, space);
            var read = recvmsg((int)unix.Handle, msg, MsgCmsgCloexec);
            if (read <= 0)
            {
                throw new IOException(read == 0 ? "the running daemon closed the handover without sending its listeners" : $"recvmsg failed (errno {Marshal.GetLastPInvokeError()})");
            }

            var fds = new List<int>();
            var controlLength = Marshal.ReadInt64(msg, 40);
            if (controlLength >= CmsgHeader && Marshal.ReadInt32(control, 8) == SolSocket && Marshal.ReadInt32(control, 12) == ScmRights)
            {
                var count = (int)((Marshal.ReadInt64(control, 0) - CmsgHeader) / sizeof(int));
                for (var i = 0; i < count; i++)
                {
                    fds.Add(Marshal.ReadInt32(control, CmsgHeader + (i * sizeof(int))));
                }
            }

            var bytes = new byte[read];
            Marshal.Copy(buffer, bytes, 0, (int)read);
            return (Encoding.UTF8.GetString(bytes), fds);
        }
        finally
        {
            Marshal.FreeHGlobal(buffer);
            Marshal.FreeHGlobal(control);
            Marshal.FreeHGlobal(iov);
            Marshal.FreeHGlobal(msg);
        }
    }

    private static int Align(int length) => (length + 7) & ~7;

    private static void Zero(IntPtr memory, int length)
    {
        for (var i = 0; i < length; i++)
        {
            Marshal.WriteByte(memory, i, 0);
        }
    }

    // struct msghdr { void* name; socklen_t namelen; struct iovec* iov; size_t iovlen; void* control; size_t controllen; int flags; }
    private static void WriteMessage(IntPtr msg, IntPtr iov, IntPtr buffer, int length, IntPtr control, int controlLength)
    {
        Marshal.WriteIntPtr(iov, 0, buffer);
        Marshal.WriteInt64(iov, 8, length);
        Zero(msg, 56);
        Marshal.WriteIntPtr(msg, 16, iov);
        Marshal.WriteInt64(msg, 24, 1);
        Marshal.WriteIntPtr(msg, 32, control);
        Marshal.WriteInt64(msg, 40, controlLength);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern nint sendmsg(int socket, IntPtr message, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern nint recvmsg(int socket, IntPtr message, int flags);
}
