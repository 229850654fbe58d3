using System.CommandLine;
using Slipway.Cli.Client;
using Slipway.Control.Audit;

namespace Slipway.Cli;

/// <summary><c>slipway audit [--since]</c> lists; <c>slipway audit verify</c> walks the hash chain (exit 1 when broken).</summary>
internal static class AuditCommand
{
    public static Command Create(CliOutput output)
    {
        var api = new ApiOptions();
        var since = new Option<string?>("--since") { Description = "Only entries from this long ago (10m) or this time (ISO-8601) on." };
        var command = new Command("audit", "List every change made through the API: who, what, when, from where, result.") { since };
        ClientVerb.SetAction(command, api, output, async (parsed, client) =>
        {
            var query = parsed.GetValue(since) is { } s ? "?since=" + Uri.EscapeDataString(s) : "";
            var entries = await client.GetAsync<IReadOnlyList<AuditEntry>>("api/v1/audit" + query).ConfigureAwait(false);
            if (api.Json(parsed))
            {
                ClientVerb.WriteJson(output, entries);
                return ExitCodes.Success;
            }

            foreach (var e in entries)
            {
                var args = string.Join(" ", e.Arguments.Select(a => $"{a.Key}={a.Value}"));
                await output.Out.WriteLineAsync($"{e.Seq,5} {ClientVerb.Text(e.Time)} {e.Actor,-16} {e.Status} {e.Method,-6} {e.Route} {args} from {e.Remote}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });

        var verify = new Command("verify", "Check that no audit entry was edited, removed or reordered; names the first that was.");
        var verifyOptions = new ApiOptions();
        ClientVerb.SetAction(verify, verifyOptions, output, async (parsed, client) =>
        {
            var result = await client.GetAsync<AuditVerification>("api/v1/audit/verify").ConfigureAwait(false);
            if (verifyOptions.Json(parsed))
            {
                ClientVerb.WriteJson(output, result);
                return result.Valid ? ExitCodes.Success : ExitCodes.Failed;
            }

            if (result.Valid)
            {
                await output.Out.WriteLineAsync($"audit log intact: {result.Entries} entries").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            await output.Error.WriteLineAsync($"slipway: audit log broken at entry {ClientVerb.Text(result.FirstBadSeq)} (line {ClientVerb.Text(result.FirstBadLine)}): {ClientVerb.Text(result.Problem)}").ConfigureAwait(false);
            return ExitCodes.Failed;
        });
        command.Subcommands.Add(verify);
        return command;
    }
}
