using System.CommandLine;
using System.Text.Json;
using Slipway.Core.Primitives;
using Slipway.Server.Api;

namespace Slipway.Cli.Client;

/// <summary>Runs a client verb: connects, turns <see cref="ApiException"/> into one line and exit 1.</summary>
internal static class ClientVerb
{
    /// <summary>What a client verb says when a signal stopped it: a change it asked for may already be under way.</summary>
    public const string Interrupted = "slipway: interrupted; anything the daemon had already accepted goes on (`slipway status` shows it)";

    public static void SetAction(Command command, ApiOptions api, CliOutput output, Func<ParseResult, ApiClient, Task<int>> action) =>
        SetAction(command, api, output, (parsed, client, _) => action(parsed, client));

    /// <summary>
    /// For verbs that wait on something of their own (a prompt, <c>--follow</c>): the token fires at Ctrl-C or SIGTERM.
    /// Either way a signal stops the calls to the daemon under way (the client's own token), and the verb says it was
    /// interrupted and exits 130 (<see cref="Interruption"/>); a second signal ends it at once.
    /// </summary>
    public static void SetAction(Command command, ApiOptions api, CliOutput output, Func<ParseResult, ApiClient, CancellationToken, Task<int>> action)
    {
        api.AddTo(command);
        command.SetAction(Interruption.Cancels(output, Interrupted, async (parsed, cancellationToken) =>
        {
            using var client = api.Connect(parsed, cancellationToken);
            try
            {
                return await action(parsed, client, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e)
            {
                await output.Error.WriteLineAsync($"slipway: {TerminalText.Escape(e.Message)}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }
        }));
    }

    /// <summary><c>--output json</c>: the answer as the daemon wrote it, indented.</summary>
    public static void WriteJson<T>(CliOutput output, T value) => output.Out.WriteLine(JsonSerializer.Serialize(value, ApiJson.Info<T>(ApiJson.Indented)));

    /// <summary>
    /// A table cell: the value, or <c>-</c> for none. Control characters are escaped (<see cref="TerminalText"/>): what an
    /// instance wrote, or what a caller sent, cannot drive the terminal. Never for JSON output, which stays exact.
    /// </summary>
    public static string Text<T>(T? value) => value switch
    {
        null => "-",
        DateTimeOffset time => Text(time),
        Enum member => JsonNamingPolicy.KebabCaseLower.ConvertName(member.ToString()),
        _ => TerminalText.Escape(value.ToString() ?? "-"),
    };

    /// <summary>A time as the API writes it (ISO 8601, the offset kept).</summary>
    public static string Text(DateTimeOffset time) => JsonSerializer.Serialize(time, ApiJson.Info<DateTimeOffset>()).Trim('"');
}
