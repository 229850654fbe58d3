using System.CommandLine;
using System.Text.Json;
using Slipway.Cli.Client;
using Slipway.Core.Manifest;

namespace Slipway.Cli;

internal static class ValidateCommand
{
    public static Command Create(CliOutput output)
    {
        var file = new Argument<string>("FILE") { Description = "The manifest, e.g. slipway.yaml." };
        var format = ApiOptions.CreateOutput();
        var command = new Command("validate", "Check a manifest and print every problem with its line and column.") { file, format };
        command.SetAction(parsed =>
        {
            var path = parsed.GetValue(file)!;
            var result = ManifestLoader.LoadFile(path);
            if (parsed.GetValue(format) == "json")
            {
                // Every error, unabridged: a script can count and place them itself.
                var loaded = result.Manifest;
                ClientVerb.WriteJson(output, JsonSerializer.SerializeToElement(new
                {
                    file = path,
                    valid = result.IsValid,
                    errors = result.Errors.Select(e => new { line = e.Mark.Line, column = e.Mark.Column, path = e.Path, message = e.Message, text = e.Format(path) }),
                    app = result.IsValid ? loaded?.App : null,
                    services = result.IsValid ? loaded?.Services.Keys.Order(StringComparer.Ordinal).ToArray() : null,
                }));
                return result.IsValid ? ExitCodes.Success : ExitCodes.Usage;
            }

            if (!result.IsValid)
            {
                CliManifest.WriteErrors(output.Error, result);
                return ExitCodes.Usage;
            }

            var manifest = result.Manifest!;
            var routes = manifest.Services.Values.Sum(s => s.Routes.Count);
            output.Out.WriteLine(
                $"{path}: valid: app {manifest.App}, {Plural(manifest.Services.Count, "service")}, {Plural(routes, "route")}, "
                + $"{Plural(manifest.Backups.Count, "backup")}, {Plural(manifest.Alerts.Rules.Count, "alert rule")}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
