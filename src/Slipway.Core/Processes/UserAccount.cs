using System.Runtime.InteropServices;

namespace Slipway.Core.Processes;

/// <summary>An operating-system user a child runs as (<c>run.user</c>), as the system's user database has it.</summary>
internal sealed record UserAccount(string Name, uint Uid, uint Gid, string Home)
{
    private static readonly Lock PasswdLock = new();

    /// <summary>True when this process runs as root: only then does it start children as other users.</summary>
    public static bool IsRoot => NativeMethods.geteuid() == 0;

    /// <summary>The user named <paramref name="name"/>; null when the system has none.</summary>
    public static UserAccount? Find(string name)
    {
        lock (PasswdLock)
        {
            var entry = NativeMethods.getpwnam(name);
            if (entry == IntPtr.Zero)
            {
                return null;
            }

            // struct passwd on 64-bit glibc: name, passwd (pointers), uid, gid (32-bit), gecos, dir, shell (pointers).
            var uid = (uint)Marshal.ReadInt32(entry, 16);
            var gid = (uint)Marshal.ReadInt32(entry, 20);
            var home = Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(entry, 32)) ?? "/";
            return new UserAccount(name, uid, gid, home);
        }
    }

    /// <summary>Gives <paramref name="path"/> (not what is inside) to this user and their group.</summary>
    /// <exception cref="IOException">The change was refused; the message says why.</exception>
    public void Own(string path)
    {
        if (NativeMethods.chown(path, Uid, Gid) != 0)
        {
            throw new IOException($"cannot give {path} to the user {Name}: {NativeMethods.ErrorText(Marshal.GetLastPInvokeError())}");
        }
    }
}
