using System.Runtime.InteropServices;
using Slipway.Core.Configuration;

namespace Slipway.Server;

/// <summary>
/// What the daemon process does to itself before it starts anything, so that what it holds stays with it:
/// the master key and an API token in its environment are read once and removed, and the process is made
/// non-dumpable, which disables its core dumps (they would hold the key and decrypted secrets) and keeps
/// other processes of the same user — a compromised service among them — out of its <c>/proc/PID/environ</c>
/// and memory.
/// </summary>
/// <remarks>
/// Removing a variable changes the runtime's environment, which children and later lookups see; the block the
/// kernel placed on the stack at exec is not rewritten. Non-dumpable is what keeps it from other users' reach:
/// only a process with CAP_SYS_PTRACE (root) can read it then.
/// </remarks>
internal static class DaemonHardening
{
    /// <summary>Variables the daemon reads at start and then removes from its environment.</summary>
    public static IReadOnlyList<string> TakenVariables { get; } = [Control.Secrets.MasterKey.EnvironmentVariable, "SLIPWAY_TOKEN"];

    private const int PrSetDumpable = 4;

    /// <returns>The daemon's environment as it was at start: what <see cref="DaemonOptions.Environment"/> reads.</returns>
    public static Func<string, string?> Apply()
    {
        var taken = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in TakenVariables)
        {
            if (EnvironmentVariables.Get(name) is { } value)
            {
                taken[name] = value;
                Environment.SetEnvironmentVariable(name, null);
            }
        }

        if (OperatingSystem.IsLinux() && prctl(PrSetDumpable, 0, 0, 0, 0) != 0)
        {
            throw new InvalidOperationException($"cannot make the daemon non-dumpable (prctl: errno {Marshal.GetLastPInvokeError()})");
        }

        return name => taken.TryGetValue(name, out var value) ? value : EnvironmentVariables.Get(name);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);
}
