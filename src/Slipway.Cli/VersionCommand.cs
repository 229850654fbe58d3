using System.CommandLine;
using System.Reflection;

namespace Slipway.Cli;

internal static class VersionCommand
{
    public static Command Create(CliOutput output)
    {
        var command = new Command("version", "Print Slipway's version.");
        command.SetAction(_ =>
        {
            var assembly = typeof(VersionCommand).Assembly;
            var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? assembly.GetName().Version?.ToString() ?? "unknown";
            output.Out.WriteLine($"slipway {version} (.NET {Environment.Version})");
            return ExitCodes.Success;
        });
        return command;
    }
}
