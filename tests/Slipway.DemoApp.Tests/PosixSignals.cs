using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Slipway.DemoApp.Tests;

/// <summary>Sends a signal to one process by pid; .NET's Process only offers SIGKILL.</summary>
internal static class PosixSignals
{
    public const int SigTerm = 15;

    public static void Send(int pid, int signal)
    {
        if (Kill(pid, signal) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"kill({pid}, {signal}) failed");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
