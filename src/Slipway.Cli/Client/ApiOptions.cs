using System.CommandLine;
using Slipway.Core.Configuration;

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

    public Option<string?> CaFile { get; } = new("--ca-file")
    {
        Description = "For an https:// --server: trust this PEM certificate (the daemon's own, or its CA) instead of the system's roots.",
    };

    public Option<string?> Fingerprint { get; } = new("--fingerprint")
    {
        Description = "For an https:// --server: trust the certificate with this SHA-256 fingerprint, as `openssl x509 -noout -fingerprint -sha256` prints it.",
    };

    public Option<string> Output { get; } = CreateOutput();

    public void AddTo(Command command)
    {
        command.Options.Add(Server);
        command.Options.Add(Token);
        command.Options.Add(StateDir);
        command.Options.Add(CaFile);
        command.Options.Add(Fingerprint);
        command.Options.Add(Output);
        CaFile.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } file && ServerTrust.CheckCaFile(file) is { } error)
            {
                result.AddError(error);
            }
        });
        Fingerprint.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } fingerprint && ServerTrust.CheckFingerprint(fingerprint) is { } error)
            {
                result.AddError(error);
            }
        });
    }

    public ApiClient Connect(ParseResult parsed)
    {
        var token = ResolveToken(parsed.GetValue(Token), parsed.GetValue(StateDir));
        var trust = new ServerTrust(parsed.GetValue(CaFile), parsed.GetValue(Fingerprint));
        if (parsed.GetValue(Server) is { } server)
        {
            return new ApiClient(server, token, "--server", trust);
        }

        return EnvironmentVariables.Get("SLIPWAY_SERVER") is { Length: > 0 } fromEnvironment
            ? new ApiClient(fromEnvironment, token, "SLIPWAY_SERVER", trust)
            : new ApiClient(DefaultServer, token, "the default", trust);
    }

    /// <summary><c>--output table|json</c>: anything else is a usage error (exit 2) before any request is made.</summary>
    public static Option<string> CreateOutput()
    {
        var output = new Option<string>("--output") { Description = "table (for people) or json (for scripts).", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "json");
        return output;
    }

    public bool Json(ParseResult parsed) => string.Equals(parsed.GetValue(Output), "json", StringComparison.OrdinalIgnoreCase);

    private static string? ResolveToken(string? token, string? stateDir)
    {
        if (!string.IsNullOrEmpty(token))
        {
            return token;
        }

        if (EnvironmentVariables.Get("SLIPWAY_TOKEN") is { Length: > 0 } fromEnvironment)
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
