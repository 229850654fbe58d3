using System.Diagnostics;
using Slipway.Core.Processes;

namespace Slipway.Testing.Tests;

public sealed class InstanceGroupsTests
{
    [Fact]
    public async Task IsRunning_GroupLeaderRecordedWithItsStartTime_True()
    {
        using var leader = await GroupLeaderAsync();

        Assert.True(InstanceGroups.IsRunning(leader.Id, ProcFs.StartTime(leader.Id)!.Value));
    }

    [Fact]
    public async Task Kill_PidNowLeadsAnotherProcessesGroup_LeavesItAlone()
    {
        // The pid as another test's daemon sees it after the pid counter wrapped: the same number, a later process.
        using var leader = await GroupLeaderAsync();
        var recordedEarlier = ProcFs.StartTime(leader.Id)!.Value - 1;

        Assert.False(InstanceGroups.IsRunning(leader.Id, recordedEarlier));
        InstanceGroups.Kill(leader.Id, recordedEarlier);

        Assert.False(leader.WaitForExit(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task Kill_TheRecordedLeader_KillsItsGroup()
    {
        using var leader = await GroupLeaderAsync();

        InstanceGroups.Kill(leader.Id, ProcFs.StartTime(leader.Id)!.Value);

        Assert.True(leader.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Empty(ProcFs.GroupMembers(leader.Id));
    }

    /// <summary>A process leading a group of its own, as every instance does: <c>setsid sleep</c>, killed at disposal if still there.</summary>
    private static async Task<GroupLeader> GroupLeaderAsync()
    {
        var process = Process.Start(new ProcessStartInfo("setsid", ["sleep", "60"]) { UseShellExecute = false })!;
        var leader = new GroupLeader(process);
        await Wait.UntilAsync(() => ProcFs.GroupMembers(process.Id).Contains(process.Id), "sleep to lead its own group", seconds: 30);
        return leader;
    }

    private sealed class GroupLeader(Process process) : IDisposable
    {
        public int Id => process.Id;

        public bool WaitForExit(TimeSpan timeout) => process.WaitForExit(timeout);

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit();
            }

            process.Dispose();
        }
    }
}
