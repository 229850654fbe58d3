using System.CommandLine;

namespace Slipway.Cli.Client;

/// <summary><c>--server</c>, <c>--token</c>, <c>--state-dir</c>, <c>--output</c>: how a client verb finds and talks to the daemon.</summary>
internal sealed class ApiOptions
{
    public const string DefaultServer = "http://127.0.0.1:7700";

    public Option<string?> Server { get; } = new("--server") { Description = $"The daemon's control API (default: $SLIPWAY_SERVER, else {DefaultServer})." };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = "API token (default: $SLIPWAY_TOKEN, else ./.slipway/admin.token, else --state-dir's admin.token).",
    };

    public Option<string?> StateDir { get; } = new("--state-dir") { Description = "A state directory whose admin.token to use." };

    public Option<string> Output { get; } = new("--output") { Description = "table or json.", DefaultValueFactory = _ => "table" };

    public void AddTo(Command command)
    {
        command.Options.Add(Server);
        command.Options.Add(Token);
        command.Options.Add(StateDir);
        command.Options.Add(Output);
    }

    public ApiClient Connect(ParseResult parsed)
    {
        var server = parsed.GetValue(Server) ?? Environment.GetEnvironmentVariable("SLIPWAY_SERVER") ?? DefaultServer;
        return new ApiClient(server, ResolveToken(parsed.GetValue(Token), parsed.GetValue(StateDir)));
    }

    public bool Json(ParseResult parsed) => string.Equals(parsed.GetValue(Output), "json", StringComparison.OrdinalIgnoreCase);

    private static string? ResolveToken(string? token, string? stateDir)
    {
        if (!string.IsNullOrEmpty(token))
        {
            return token;
        }

        if (Environment.GetEnvironmentVariable("SLIPWAY_TOKEN") is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }

        foreach (var file in new[] { Path.Combine(".slipway", "admin.token"), stateDir is null ? null : Path.Combine(stateDir, "admin.token") })
        {
            if (file is not null && File.Exists(file))
            {
                return File.ReadAllText(file).Trim();
            }
        }

        return null;
    }
}
