using System.CommandLine;
using Slipway.Cli.Client;
using Slipway.Core.Primitives;

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
            var entries = await client.GetAsync("api/v1/audit" + query).ConfigureAwait(false);
            if (api.Json(parsed))
            {
                ClientVerb.WriteJson(output, entries);
                return ExitCodes.Success;
            }

            foreach (var e in entries.EnumerateArray())
            {
                var args = string.Join(" ", e.GetProperty("arguments").EnumerateObject().Select(a => $"{a.Name}={TerminalText.Escape(a.Value.GetString() ?? "")}"));
                var outcome = ClientVerb.Text(e, "phase") is "intent" or "keyed" ? ClientVerb.Text(e, "phase") : ClientVerb.Text(e, "status");
                await output.Out.WriteLineAsync($"{ClientVerb.Text(e, "seq"),5} {ClientVerb.Text(e, "time")} {ClientVerb.Text(e, "actor"),-16} {outcome,-6} {ClientVerb.Text(e, "method"),-6} {ClientVerb.Text(e, "route")} {args} from {ClientVerb.Text(e, "remote")}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });

        var head = new Option<string?>("--head") { Description = "The hash of an entry kept elsewhere earlier (what verify printed): the log must still hold it." };
        var verify = new Command("verify", "Check that no audit entry was edited, removed or reordered; names the first that was, and prints the head to keep.") { head };
        var verifyOptions = new ApiOptions();
        ClientVerb.SetAction(verify, verifyOptions, output, async (parsed, client) =>
        {
            var query = parsed.GetValue(head) is { Length: > 0 } kept ? "?head=" + Uri.EscapeDataString(kept) : "";
            var result = await client.GetAsync("api/v1/audit/verify" + query).ConfigureAwait(false);
            if (verifyOptions.Json(parsed))
            {
                ClientVerb.WriteJson(output, result);
                return result.GetProperty("valid").GetBoolean() ? ExitCodes.Success : ExitCodes.Failed;
            }

            if (result.GetProperty("valid").GetBoolean())
            {
                await output.Out.WriteLineAsync($"audit log intact: {ClientVerb.Text(result, "entries")} entries; head: entry {ClientVerb.Text(result, "headSeq")}, hash {ClientVerb.Text(result, "head")}").ConfigureAwait(false);
                await output.Out.WriteLineAsync("keep the hash off this machine; `slipway audit verify --head HASH` later shows nothing up to that entry was changed or removed").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var where = ClientVerb.Text(result, "firstBadSeq") == "-" ? "" : $" at entry {ClientVerb.Text(result, "firstBadSeq")} (line {ClientVerb.Text(result, "firstBadLine")})";
            await output.Error.WriteLineAsync($"slipway: audit log broken{where}: {ClientVerb.Text(result, "problem")}").ConfigureAwait(false);
            return ExitCodes.Failed;
        });
        command.Subcommands.Add(verify);
        return command;
    }
}
