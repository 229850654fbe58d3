using System.CommandLine;
using System.Text.Json.Nodes;
using Slipway.Cli.Client;
using Slipway.Server.Api;
using Slipway.Server.Api.Contracts;

namespace Slipway.Cli;

/// <summary><c>slipway token create|list|revoke</c>.</summary>
internal static class TokenCommand
{
    public static Command Create(CliOutput output)
    {
        var command = new Command("token", "Issue, list and revoke API tokens (admin).");

        var name = new Argument<string>("NAME") { Description = "Who the token is for; shown in the audit log." };
        var role = new Option<string>("--role") { Description = "viewer, deployer or admin.", DefaultValueFactory = _ => "viewer" };
        var create = new Command("create", "Issue a token; it is printed once and only its hash is kept.") { name, role };
        var createOptions = new ApiOptions();
        ClientVerb.SetAction(create, createOptions, output, async (parsed, client) =>
        {
            var result = await client.SendAsync<TokenCreateRequest, TokenCreatedResponse>(HttpMethod.Post, "api/v1/tokens", new TokenCreateRequest(parsed.GetValue(name), parsed.GetValue(role)))
                .ConfigureAwait(false);
            if (createOptions.Json(parsed))
            {
                ClientVerb.WriteJson(output, result);
                return ExitCodes.Success;
            }

            await output.Out.WriteLineAsync(result.Token).ConfigureAwait(false);
            return ExitCodes.Success;
        });

        var listOptions = new ApiOptions();
        var list = new Command("list", "Token names, roles and creation times.");
        ClientVerb.SetAction(list, listOptions, output, async (parsed, client) =>
        {
            var tokens = await client.GetAsync<IReadOnlyList<TokenResponse>>("api/v1/tokens").ConfigureAwait(false);
            if (listOptions.Json(parsed))
            {
                ClientVerb.WriteJson(output, tokens);
                return ExitCodes.Success;
            }

            await output.Out.WriteLineAsync($"{"NAME",-24} {"ROLE",-9} CREATED").ConfigureAwait(false);
            foreach (var t in tokens)
            {
                await output.Out.WriteLineAsync($"{t.Name,-24} {ApiJson.Word(t.Role),-9} {ClientVerb.Text(t.Created)}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });

        var revokeName = new Argument<string>("NAME") { Description = "The token to revoke." };
        var revoke = new Command("revoke", "Revoke a token; it stops working at once.") { revokeName };
        var revokeOptions = new ApiOptions();
        ClientVerb.SetAction(revoke, revokeOptions, output, async (parsed, client) =>
        {
            await client.SendAsync(HttpMethod.Delete, $"api/v1/tokens/{Uri.EscapeDataString(parsed.GetValue(revokeName)!)}").ConfigureAwait(false);
            if (revokeOptions.Json(parsed))
            {
                ClientVerb.WriteJson(output, new JsonObject { ["name"] = parsed.GetValue(revokeName), ["revoked"] = true });
                return ExitCodes.Success;
            }

            await output.Out.WriteLineAsync($"token {parsed.GetValue(revokeName)} revoked").ConfigureAwait(false);
            return ExitCodes.Success;
        });

        command.Subcommands.Add(create);
        command.Subcommands.Add(list);
        command.Subcommands.Add(revoke);
        return command;
    }
}
