using System.CommandLine;
using Slipway.Cli.Client;
using Slipway.Server.Preflight;

namespace Slipway.Cli;

/// <summary><c>slipway preflight</c>: the go-live checklist, run by the daemon; exit 0 when nothing fails, 1 otherwise.</summary>
internal static class PreflightCommand
{
    public static Command Create(CliOutput output)
    {
        var service = new Option<string?>("--service") { Description = "Only this service's findings (and the app's own)." };
        var api = new ApiOptions();
        var command = new Command("preflight", "Run the go-live checks: secrets, backups, certificates, alert receivers, disk, clock, deploy path (asks the running daemon).") { service };
        ClientVerb.SetAction(command, api, output, async (parsed, client) =>
        {
            var name = parsed.GetValue(service);
            var report = await client.GetAsync<PreflightReport>("api/v1/preflight" + (name is null ? "" : "?service=" + Uri.EscapeDataString(name))).ConfigureAwait(false);
            if (api.Json(parsed))
            {
                ClientVerb.WriteJson(output, report);
            }
            else
            {
                Write(output.Out, report);
            }

            return report.Passed ? ExitCodes.Success : ExitCodes.Failed;
        });
        return command;
    }

    /// <summary>One line per finding, its fix under it; the count last, so a person reads the verdict where the eye ends.</summary>
    internal static void Write(TextWriter writer, PreflightReport report)
    {
        foreach (var f in report.Findings)
        {
            writer.WriteLine($"{ClientVerb.Text(f.Status),-7} {f.Check,-12} {ClientVerb.Text(f.Subject)}: {ClientVerb.Text(f.Evidence)}");
            if (f.Fix is { } fix && f.Status is PreflightStatus.Warn or PreflightStatus.Fail)
            {
                writer.WriteLine($"{"",-20} fix: {ClientVerb.Text(fix)}");
            }
        }

        writer.WriteLine();
        writer.WriteLine($"preflight: {report.Summary()}: {(report.Passed ? "nothing fails" : "fix the failures before going live")}");
    }
}
