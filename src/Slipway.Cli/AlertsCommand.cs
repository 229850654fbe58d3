using System.CommandLine;
using Slipway.Cli.Client;
using Slipway.Server.Api;
using Slipway.Server.Api.Contracts;

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
            var alerts = await client.GetAsync<IReadOnlyList<AlertResponse>>("api/v1/alerts").ConfigureAwait(false);
            if (options.Json(parsed))
            {
                ClientVerb.WriteJson(output, alerts);
                return ExitCodes.Success;
            }

            if (alerts.Count == 0)
            {
                await output.Out.WriteLineAsync("no alerts pending or firing").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await output.Out.WriteLineAsync($"{"STATE",-8} {"SEVERITY",-9} {"ALERT",-20} {"SINCE",-21} {"LABELS",-40} SUMMARY").ConfigureAwait(false);
            foreach (var a in alerts)
            {
                var labels = string.Join(",", a.Labels.Where(l => l.Key is not ("alertname" or "severity")).Select(l => $"{l.Key}={ClientVerb.Text(l.Value)}"));
                var state = ApiJson.Word(a.State) + (a.Muted is not null ? "*" : "");
                var since = ClientVerb.Text(a.FiredAt ?? a.ActiveAt);
                await output.Out.WriteLineAsync($"{state,-8} {a.Severity,-9} {a.Name,-20} {since[..Math.Min(19, since.Length)],-21} {labels,-40} {ClientVerb.Text(a.Annotations.GetValueOrDefault("summary", ""))}").ConfigureAwait(false);
            }

            if (alerts.Any(a => a.Muted is not null))
            {
                await output.Out.WriteLineAsync("* silenced or inhibited: not notified (--output json says why)").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
