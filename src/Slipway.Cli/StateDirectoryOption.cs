using System.CommandLine;
using Slipway.Server;

namespace Slipway.Cli;

/// <summary><c>--state-dir</c> and <c>--file</c>, shared by the verbs that read a state directory.</summary>
internal static class StateDirectoryOption
{
    public static Option<string?> Create() => new("--state-dir")
    {
        Description = "The state directory (default: .slipway beside the manifest).",
    };

    public static Option<string> CreateFile() => new("--file")
    {
        Description = "The manifest whose state to read.",
        DefaultValueFactory = _ => "slipway.yaml",
    };

    public static string Resolve(string? stateDirectory, string manifest) =>
        Path.GetFullPath(stateDirectory ?? DaemonOptions.DefaultStateDirectory(manifest));
}
