using System.CommandLine;
using Slipway.Cli.Client;
using Slipway.Control.Audit;

namespace Slipway.Cli;

/// <summary><c>slipway audit [--since]</c> lists; <c>slipway audit verify [--head HASH]</c> walks the keyed hash chain (exit 1 when broken).</summary>
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
                var args = string.Join(" ", e.Arguments.Select(a => $"{a.Key}={ClientVerb.Text(a.Value)}"));
                var outcome = e.Phase is AuditPhase.Intent or AuditPhase.Start ? e.Phase : e.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await output.Out.WriteLineAsync($"{e.Seq,5} {ClientVerb.Text(e.Time)} {ClientVerb.Text(e.Actor),-16} {outcome,-6} {e.Method,-6} {e.Route} {args} from {e.Remote}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });

        var head = new Option<string?>("--head") { Description = "The hash of an entry kept elsewhere earlier (what verify printed): the log must still hold it." };
        var verify = new Command("verify", "Check that no audit entry was edited, removed or reordered; names the first that was, and prints the head to keep.") { head };
        var verifyOptions = new ApiOptions();
        ClientVerb.SetAction(verify, verifyOptions, output, async (parsed, client) =>
        {
            var query = parsed.GetValue(head) is { Length: > 0 } kept ? "?head=" + Uri.EscapeDataString(kept) : "";
            var result = await client.GetAsync<AuditVerification>("api/v1/audit/verify" + query).ConfigureAwait(false);
            if (verifyOptions.Json(parsed))
            {
                ClientVerb.WriteJson(output, result);
                return result.Valid ? ExitCodes.Success : ExitCodes.Failed;
            }

            if (result.Valid)
            {
                await output.Out.WriteLineAsync($"audit log intact: {result.Entries} entries; head: entry {result.HeadSeq}, hash {result.Head}").ConfigureAwait(false);
                await output.Out.WriteLineAsync("keep the hash off this machine; `slipway audit verify --head HASH` later shows nothing up to that entry was changed or removed").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var where = result.FirstBadSeq is null ? "" : $" at entry {result.FirstBadSeq} (line {ClientVerb.Text(result.FirstBadLine)})";
            await output.Error.WriteLineAsync($"slipway: audit log broken{where}: {ClientVerb.Text(result.Problem)}").ConfigureAwait(false);
            return ExitCodes.Failed;
        });
        command.Subcommands.Add(verify);
        return command;
    }
}
