using System.CommandLine;
using Slipway.Control.Alerts;

namespace Slipway.Cli;

/// <summary>
/// <c>slipway render prometheus-rules</c>: the manifest's alert rules for a Prometheus that does the alerting;
/// <c>slipway render kubernetes</c>: the whole app for a cluster (see <see cref="RenderKubernetesCommand"/>).
/// </summary>
internal static class RenderCommand
{
    public static Command Create(CliOutput output)
    {
        var command = new Command("render", "Write the app for other tools.");
        var file = new Option<string>("--file", "-f") { Description = "The manifest.", DefaultValueFactory = _ => "slipway.yaml" };
        var to = new Option<string?>("--output", "-o") { Description = "Write to FILE instead of stdout." };
        var rules = new Command("prometheus-rules", "The alert rules as a Prometheus rule file over Slipway's /metrics names (promtool check rules accepts it).") { file, to };
        rules.SetAction(parsed =>
        {
            var path = parsed.GetValue(file)!;
            if (CliManifest.Load(output, path) is not { } result)
            {
                return ExitCodes.Usage;
            }

            var text = PrometheusRules.Render(result.Manifest!);
            if (parsed.GetValue(to) is { } target)
            {
                try
                {
                    // Beside it, then renamed over it: a write that fails leaves the earlier file whole.
                    File.WriteAllText(target + ".tmp", text);
                    File.Move(target + ".tmp", target, overwrite: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    output.Error.WriteLine($"slipway: cannot write {target}: {e.Message}");
                    return ExitCodes.Failed;
                }

                output.Out.WriteLine($"wrote {target}");
            }
            else
            {
                output.Out.Write(text);
            }

            return ExitCodes.Success;
        });
        command.Subcommands.Add(rules);
        command.Subcommands.Add(RenderKubernetesCommand.Create(output, file));
        return command;
    }
}
