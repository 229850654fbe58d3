using System.CommandLine;
using Slipway.Server;

namespace Slipway.Cli;

/// <summary><c>--state-dir</c>, for the verbs that work on a state directory themselves (<c>up</c>, the backup verbs' secrets).</summary>
internal static class StateDirectoryOption
{
    public static Option<string?> Create() => new("--state-dir")
    {
        Description = "The state directory (default: .slipway beside the manifest).",
    };

    public static string Resolve(string? stateDirectory, string manifest) =>
        Path.GetFullPath(stateDirectory ?? DaemonOptions.DefaultStateDirectory(manifest));
}
