using Slipway.Control.State;
using Slipway.Core.Processes;

namespace Slipway.EndToEnd.Tests;

/// <summary>Instances outlive a killed daemon by design; a test cleans up the ones its daemons started.</summary>
internal static class LeftoverInstances
{
    public static void Kill(string stateDirectory)
    {
        if (!File.Exists(Path.Combine(stateDirectory, StateStore.FileName)))
        {
            return;
        }

        using var store = StateStore.Open(stateDirectory, readOnly: true);
        foreach (var instance in store.Instances(activeOnly: false))
        {
            // Only groups this test's daemons started, and only while that very process still leads them.
            if (ProcFs.IsSameProcess(instance.Pid, instance.ProcessStartTime) || ProcFs.GroupMembers(instance.Pid).Count > 0)
            {
                Native.kill(-instance.Pid, Native.SigKill);
            }
        }
    }
}
