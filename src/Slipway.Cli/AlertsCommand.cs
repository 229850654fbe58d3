using System.CommandLine;
using Slipway.Cli.Client;
using Slipway.Core.Primitives;

namespace Slipway.Cli;

/// <summary><c>slipway alerts</c>: pending and firing alerts, and whether a silence or inhibition mutes them.</summary>
internal static class AlertsCommand
{
    public static Command Create(CliOutput output)
    {
        var options = new ApiOptions();
        var command = new Command("alerts", "List pending and firing alerts.");
        ClientVerb.SetAction(command, options, output, async (parsed, client) =>
        {
            var alerts = await client.GetAsync("api/v1/alerts").ConfigureAwait(false);
            if (options.Json(parsed))
            {
                ClientVerb.WriteJson(output, alerts);
                return ExitCodes.Success;
            }

            if (alerts.GetArrayLength() == 0)
            {
                await output.Out.WriteLineAsync("no alerts pending or firing").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await output.Out.WriteLineAsync($"{"STATE",-8} {"SEVERITY",-9} {"ALERT",-20} {"SINCE",-21} {"LABELS",-40} SUMMARY").ConfigureAwait(false);
            foreach (var a in alerts.EnumerateArray())
            {
                var labels = string.Join(",", a.GetProperty("labels").EnumerateObject()
                    .Where(l => l.Name is not ("alertname" or "severity")).Select(l => $"{l.Name}={TerminalText.Escape(l.Value.GetString() ?? "")}"));
                var state = ClientVerb.Text(a, "state") + (ClientVerb.Text(a, "muted") is var muted && muted != "-" ? "*" : "");
                var summary = a.GetProperty("annotations").TryGetProperty("summary", out var s) ? s.GetString() : "";
                var since = a.TryGetProperty("firedAt", out var fired) && fired.ValueKind != System.Text.Json.JsonValueKind.Null ? fired.GetString() : ClientVerb.Text(a, "activeAt");
                await output.Out.WriteLineAsync($"{state,-8} {ClientVerb.Text(a, "severity"),-9} {ClientVerb.Text(a, "name"),-20} {since?[..Math.Min(19, since.Length)],-21} {labels,-40} {summary}").ConfigureAwait(false);
            }

            if (alerts.EnumerateArray().Any(a => ClientVerb.Text(a, "muted") != "-"))
            {
                await output.Out.WriteLineAsync("* silenced or inhibited: not notified (--output json says why)").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
