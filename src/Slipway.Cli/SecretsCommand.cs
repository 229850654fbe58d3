using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Slipway.Cli.Client;
using Slipway.Server.Api.Contracts;

namespace Slipway.Cli;

/// <summary><c>slipway secrets set|list|rm</c>. A value is read from stdin or a no-echo prompt, never from the command line.</summary>
internal static class SecretsCommand
{
    public static Command Create(CliOutput output, TextReader? input)
    {
        var command = new Command("secrets", "Manage secrets given to services as environment variables (run.secrets).");

        var name = new Argument<string>("NAME") { Description = "The secret's name, e.g. DB_PASSWORD." };
        var restart = new Option<bool>("--restart") { Description = "Then rolling-restart the services that use it." };
        var set = new Command("set", "Set NAME from stdin (or a prompt that does not echo).") { name, restart };
        var setOptions = new ApiOptions();
        ClientVerb.SetAction(set, setOptions, output, async (parsed, client, cancellationToken) =>
        {
            // A blocked read of stdin or the terminal ignores tokens: Ctrl-C stops the wait for it, and nothing is sent.
            var value = await Task.Run(() => ReadValue(input, output), CancellationToken.None).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrEmpty(value))
            {
                await output.Error.WriteLineAsync("slipway: no value given (pipe it in, or type it at the prompt)").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var secret = parsed.GetValue(name)!;
            var query = parsed.GetValue(restart) ? "?restart=true" : "";
            var result = await client.SendAsync<SecretSetRequest, SecretSetResponse>(HttpMethod.Put, $"api/v1/secrets/{Uri.EscapeDataString(secret)}{query}", new SecretSetRequest(value))
                .ConfigureAwait(false);
            if (setOptions.Json(parsed))
            {
                ClientVerb.WriteJson(output, result);
                return ExitCodes.Success;
            }

            await output.Out.WriteLineAsync($"secret {secret} set" + (result.Restarted.Count > 0 ? $"; restarted {string.Join(", ", result.Restarted)}" : "")).ConfigureAwait(false);
            return ExitCodes.Success;
        });

        var listOptions = new ApiOptions();
        var list = new Command("list", "Secret names, when each was set, and which services use it. Never values.");
        ClientVerb.SetAction(list, listOptions, output, async (parsed, client) =>
        {
            var secrets = await client.GetAsync<IReadOnlyList<SecretResponse>>("api/v1/secrets").ConfigureAwait(false);
            if (listOptions.Json(parsed))
            {
                ClientVerb.WriteJson(output, secrets);
                return ExitCodes.Success;
            }

            await output.Out.WriteLineAsync($"{"NAME",-24} {"UPDATED",-26} USED BY").ConfigureAwait(false);
            foreach (var s in secrets)
            {
                await output.Out.WriteLineAsync($"{s.Name,-24} {ClientVerb.Text(s.Updated),-26} {string.Join(", ", s.UsedBy)}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });

        var rmName = new Argument<string>("NAME") { Description = "The secret to delete." };
        var rm = new Command("rm", "Delete a secret.") { rmName };
        var rmOptions = new ApiOptions();
        ClientVerb.SetAction(rm, rmOptions, output, async (parsed, client) =>
        {
            await client.SendAsync(HttpMethod.Delete, $"api/v1/secrets/{Uri.EscapeDataString(parsed.GetValue(rmName)!)}").ConfigureAwait(false);
            if (rmOptions.Json(parsed))
            {
                ClientVerb.WriteJson(output, new JsonObject { ["name"] = parsed.GetValue(rmName), ["deleted"] = true });
                return ExitCodes.Success;
            }

            await output.Out.WriteLineAsync($"secret {parsed.GetValue(rmName)} deleted").ConfigureAwait(false);
            return ExitCodes.Success;
        });

        command.Subcommands.Add(set);
        command.Subcommands.Add(list);
        command.Subcommands.Add(rm);
        return command;
    }

    private static string ReadValue(TextReader? input, CliOutput output)
    {
        if (input is not null)
        {
            return input.ReadToEnd().TrimEnd('\r', '\n');
        }

        if (Console.IsInputRedirected)
        {
            return Console.In.ReadToEnd().TrimEnd('\r', '\n');
        }

        output.Error.Write("value (not echoed): ");
        var value = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (value.Length > 0)
                {
                    value.Length--;
                }

                continue;
            }

            value.Append(key.KeyChar);
        }

        output.Error.WriteLine();
        return value.ToString();
    }
}
