using Slipway.Core.Configuration;

namespace Slipway.Core.Processes;

/// <summary>
/// Variables Slipway sets in its own environment to tune the .NET runtime it runs on. Children never
/// see them (they start from <see cref="ProcessSpec.BaseEnvironment"/>), so a service's instances (often
/// .NET programs themselves) run on their own defaults. A variable the operator already set is left as it is.
/// </summary>
internal static class DaemonOnlyEnvironment
{
    /// <summary>Sets <paramref name="name"/> unless the environment already has it; call before the runtime reads it.</summary>
    public static void SetDefault(string name, string value)
    {
        if (EnvironmentVariables.Get(name) is null)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
