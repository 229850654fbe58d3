using Slipway.Control.Secrets;
using Slipway.Core.Configuration;

namespace Slipway.Cli;

/// <summary>
/// Secrets for the one-shot verbs (backup, restore, drill): <c>SLIPWAY_SECRET_NAME</c> when set, else the
/// store the daemon keeps beside the manifest (<c>slipway secrets set NAME</c>), so both see the same values.
/// </summary>
internal static class CliSecrets
{
    public static Func<string, string?> For(string manifestPath)
    {
        var stateDirectory = StateDirectoryOption.Resolve(null, manifestPath);
        SecretStore? store = null;
        var hasKey = File.Exists(Path.Combine(stateDirectory, MasterKey.FileName))
            || EnvironmentVariables.Get(MasterKey.EnvironmentVariable) is { Length: > 0 };
        if (hasKey && File.Exists(Path.Combine(stateDirectory, SecretStore.FileName)))
        {
            store = new SecretStore(stateDirectory, MasterKey.Load(stateDirectory, EnvironmentVariables.Get), TimeProvider.System);
        }

        return new SecretResolver(store, EnvironmentVariables.Get).Find;
    }
}
