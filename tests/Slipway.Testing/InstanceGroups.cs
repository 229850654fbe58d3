using Slipway.Core.Processes;

namespace Slipway.Testing;

/// <summary>
/// The process groups a test's daemons or supervisors started (every instance leads its own), found again by the
/// pid and start time the state store recorded, for a test to clean up. A recorded pid alone is not enough: pid_max
/// is 32768 on the test machine, pids wrap within a full test run, and a pid an instance of this test held may by
/// then lead an instance group of another test's daemon (a PostgreSQL it polls) — killing that group by pid alone
/// once took another example's database down under heavy load.
/// </summary>
public static class InstanceGroups
{
    /// <summary>
    /// True while the group of the instance recorded as (<paramref name="pid"/>, <paramref name="startTime"/>) still
    /// has members: its leader is that very process, or the leader is gone and left members (a pid still used as a
    /// process group is never given to a new process). False when the pid now belongs to another process.
    /// </summary>
    public static bool IsRunning(int pid, long startTime) =>
        ProcFs.IsSameProcess(pid, startTime) || (ProcFs.StartTime(pid) is null && ProcFs.GroupMembers(pid).Count > 0);

    /// <summary>SIGKILLs the group of that instance if it still runs (<see cref="IsRunning"/>); never another process's group.</summary>
    public static void Kill(int pid, long startTime)
    {
        if (IsRunning(pid, startTime))
        {
            _ = NativeMethods.kill(-pid, Signals.Kill);
        }
    }
}
