using System.CommandLine;
using Slipway.Core.Configuration;
using Slipway.Server;

namespace Slipway.Cli.Client;

/// <summary>
/// <c>--server</c>, <c>--token</c>, <c>--state-dir</c>, <c>--file</c>, <c>--output</c>: how a client verb finds and talks to
/// the daemon (<see cref="DaemonLocator"/> says in which order).
/// </summary>
internal sealed class ApiOptions
{
    public const string DefaultServer = DaemonLocator.DefaultServer;

    public Option<string?> Server { get; } = new("--server") { Description = $"The daemon's control API (default: the named state directory's api.url, else $SLIPWAY_SERVER, else ./.slipway/api.url, else {DefaultServer})." };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = "API token (default: the named state directory's admin.token, else $SLIPWAY_TOKEN, else ./.slipway/admin.token).",
    };

    public Option<string?> StateDir { get; } = new("--state-dir") { Description = "The daemon's state directory: its api.url and admin.token are used." };

    public Option<string?> File { get; } = new("--file") { Description = "The daemon's manifest: the state directory beside it (.slipway) is used, as with --state-dir." };

    public Option<string?> CaFile { get; } = new("--ca-file")
    {
        Description = "For an https:// --server: trust this PEM certificate (the daemon's own, or its CA) instead of the system's roots.",
    };

    public Option<string?> Fingerprint { get; } = new("--fingerprint")
    {
        Description = "For an https:// --server: trust the certificate with this SHA-256 fingerprint, as `openssl x509 -noout -fingerprint -sha256` prints it.",
    };

    public Option<string> Output { get; } = CreateOutput();

    /// <summary>A manifest the verb was given anyway (<c>apply FILE</c>): its state directory is used unless --file or --state-dir say otherwise.</summary>
    public Func<ParseResult, string?>? ImpliedFile { get; init; }

    public void AddTo(Command command)
    {
        command.Options.Add(Server);
        command.Options.Add(Token);
        command.Options.Add(StateDir);
        command.Options.Add(File);
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

    /// <param name="cancellation">Stops every call of the client (Ctrl-C).</param>
    public ApiClient Connect(ParseResult parsed, CancellationToken cancellation = default)
    {
        var file = parsed.GetValue(File) ?? ImpliedFile?.Invoke(parsed);
        var stateDir = parsed.GetValue(StateDir);
        if (file is not null && parsed.GetValue(File) is null && stateDir is null && !Directory.Exists(DaemonOptions.DefaultStateDirectory(file)))
        {
            file = null; // an implied manifest without a state directory beside it names no daemon
        }

        var (server, source, token) = new DaemonLocator(parsed.GetValue(Server), parsed.GetValue(Token), stateDir, file)
            .Resolve(EnvironmentVariables.Get, Directory.GetCurrentDirectory());
        return new ApiClient(server, token, source, new ServerTrust(parsed.GetValue(CaFile), parsed.GetValue(Fingerprint)), cancellation);
    }

    /// <summary><c>--output table|json</c>: anything else is a usage error (exit 2) before any request is made.</summary>
    public static Option<string> CreateOutput()
    {
        var output = new Option<string>("--output") { Description = "table (for people) or json (for scripts).", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "json");
        return output;
    }

    public bool Json(ParseResult parsed) => string.Equals(parsed.GetValue(Output), "json", StringComparison.OrdinalIgnoreCase);
}
