using System.CommandLine;
using System.Text.Json;
using Slipway.Core.Primitives;

namespace Slipway.Cli.Client;

/// <summary>Runs a client verb: connects, turns <see cref="ApiException"/> into one line and exit 1.</summary>
internal static class ClientVerb
{
    public static void SetAction(Command command, ApiOptions api, CliOutput output, Func<ParseResult, ApiClient, Task<int>> action) =>
        SetAction(command, api, output, (parsed, client, _) => action(parsed, client));

    /// <summary>For verbs that run until Ctrl-C (<c>--follow</c>): the token fires then.</summary>
    public static void SetAction(Command command, ApiOptions api, CliOutput output, Func<ParseResult, ApiClient, CancellationToken, Task<int>> action)
    {
        api.AddTo(command);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            using var client = api.Connect(parsed);
            try
            {
                return await action(parsed, client, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e)
            {
                await output.Error.WriteLineAsync($"slipway: {TerminalText.Escape(e.Message)}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }
        });
    }

    public static void WriteJson(CliOutput output, JsonElement json) =>
        output.Out.WriteLine(JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));

    /// <summary>A field for a person to read (never for JSON output): control characters escaped, so what an instance wrote cannot drive the terminal.</summary>
    public static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? TerminalText.Escape(value.ToString()) : "-";
}
