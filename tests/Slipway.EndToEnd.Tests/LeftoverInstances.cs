using Slipway.Control.State;
using Slipway.Testing;

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
            // Only groups this test's daemons started: never one another process leads under a reused pid.
            InstanceGroups.Kill(instance.Pid, instance.ProcessStartTime);
        }
    }
}
