using System.Runtime.InteropServices;

namespace Slipway.EndToEnd.Tests;

internal static class Native
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    [DllImport("libc", SetLastError = true)]
    public static extern int kill(int pid, int signal);
}
