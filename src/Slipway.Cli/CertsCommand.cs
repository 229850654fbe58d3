using System.CommandLine;
using Slipway.Cli.Client;
using Slipway.Server.Api.Contracts;

namespace Slipway.Cli;

/// <summary><c>slipway certs</c>: every certificate the edge serves, its expiry, and ACME's last and next order.</summary>
internal static class CertsCommand
{
    public static Command Create(CliOutput output)
    {
        var options = new ApiOptions();
        var command = new Command("certs", "List the certificates the HTTPS listeners serve: source, names, issuer, expiry, and each ACME host's last and next order.");
        ClientVerb.SetAction(command, options, output, async (parsed, client) =>
        {
            var certificates = await client.GetAsync<IReadOnlyList<CertificateResponse>>("api/v1/certs").ConfigureAwait(false);
            if (options.Json(parsed))
            {
                ClientVerb.WriteJson(output, certificates);
                return ExitCodes.Success;
            }

            if (certificates.Count == 0)
            {
                await output.Out.WriteLineAsync("no certificates: the edge has no https:// listener").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await output.Out.WriteLineAsync($"{"CERTIFICATE",-28} {"SOURCE",-6} {"NAMES",-30} {"ISSUER",-24} {"NOT AFTER",-25} {"DAYS",5}  {"NEXT RENEWAL",-25} LAST RESULT").ConfigureAwait(false);
            foreach (var c in certificates)
            {
                var last = c.LastSucceeded is null ? "-" : (c.LastSucceeded.Value ? "ok: " : "failed: ") + c.LastResult;
                await output.Out.WriteLineAsync(
                    $"{ClientVerb.Text(c.Name),-28} {ClientVerb.Text(c.Source),-6} {ClientVerb.Text(string.Join(",", c.Hosts)),-30} {ClientVerb.Text(c.Issuer),-24} "
                    + $"{ClientVerb.Text(c.NotAfter),-25} {ClientVerb.Text(c.DaysLeft),5}  {ClientVerb.Text(c.NextAttempt),-25} {ClientVerb.Text(last)}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
