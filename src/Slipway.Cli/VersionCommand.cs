using System.CommandLine;
using System.Reflection;
using System.Text.Json;
using Slipway.Cli.Client;

namespace Slipway.Cli;

internal static class VersionCommand
{
    public static Command Create(CliOutput output)
    {
        var format = ApiOptions.CreateOutput();
        var command = new Command("version", "Print Slipway's version.") { format };
        command.SetAction(parsed =>
        {
            var assembly = typeof(VersionCommand).Assembly;
            var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? assembly.GetName().Version?.ToString() ?? "unknown";
            if (parsed.GetValue(format) == "json")
            {
                ClientVerb.WriteJson(output, JsonSerializer.SerializeToElement(new { version, dotnet = Environment.Version.ToString() }));
                return ExitCodes.Success;
            }

            output.Out.WriteLine($"slipway {version} (.NET {Environment.Version})");
            return ExitCodes.Success;
        });
        return command;
    }
}
