using System.Collections.Concurrent;
using Slipway.Core.Configuration;

namespace Slipway.Core.Processes;

/// <summary>
/// Variables Slipway sets in its own environment to tune the .NET runtime it runs on. They are
/// for this process alone: <see cref="ProcessSpec.InheritedEnvironment"/> leaves them out, so a
/// service's instances (often .NET programs themselves) run on their own defaults. A variable
/// the operator already set is theirs: it is left as it is and children inherit it.
/// </summary>
internal static class DaemonOnlyEnvironment
{
    private static readonly ConcurrentDictionary<string, byte> Names = new(StringComparer.Ordinal);

    /// <summary>Sets <paramref name="name"/> unless the environment already has it; call before the runtime reads it.</summary>
    public static void SetDefault(string name, string value)
    {
        if (EnvironmentVariables.Get(name) is not null)
        {
            return;
        }

        Names[name] = 0;
        Environment.SetEnvironmentVariable(name, value);
    }

    public static bool IsDaemonOnly(string name) => Names.ContainsKey(name);
}
