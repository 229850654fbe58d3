using Slipway.Server;
using Slipway.Server.Api;
using Slipway.Server.Auth;

namespace Slipway.Cli.Client;

/// <summary>
/// Where a client verb finds the daemon and its token. What the command line names wins, then the environment,
/// then the current directory: <c>--server</c>, then the <c>api.url</c> of the state directory named by
/// <c>--state-dir</c> or found beside <c>--file</c>, then <c>SLIPWAY_SERVER</c>, then <c>./.slipway/api.url</c>, then
/// the default; <c>--token</c>, then that named state directory's <c>admin.token</c>, then <c>SLIPWAY_TOKEN</c>, then
/// <c>./.slipway/admin.token</c>. A token belongs to the daemon of its state directory, so the current directory's
/// is never sent to a daemon the command line points elsewhere (another state directory, or a <c>--server</c> that
/// is not the one its <c>api.url</c> names). With none of these, the one daemon this user runs
/// (<see cref="DaemonRegistry"/>) is used as if its state directory were named.
/// </summary>
internal sealed record DaemonLocator(string? Server, string? Token, string? StateDirectory, string? File)
{
    public const string DefaultServer = "http://127.0.0.1:7700";

    /// <summary>The state directory the command line names: <c>--state-dir</c>, else <c>.slipway</c> beside <c>--file</c>.</summary>
    public string? NamedStateDirectory => StateDirectory ?? (File is null ? null : DaemonOptions.DefaultStateDirectory(File));

    public (string Server, string Source, string? Token) Resolve(Func<string, string?> environment, string workingDirectory)
    {
        var local = Path.Combine(workingDirectory, ".slipway");
        var named = NamedStateDirectory;
        var running = "";
        if (named is null && Server is null && environment("SLIPWAY_SERVER") is not { Length: > 0 } && ReadFile(local, ApiHost.AddressFile) is null)
        {
            // Nothing named and nothing here: the one daemon this user runs, wherever it was started from.
            switch (DaemonRegistry.Running(environment))
            {
                case [var only]:
                    named = only;
                    break;
                case { Count: > 1 } several:
                    running = $"; {several.Count} daemons run for this user, so none was chosen: pass --file or --state-dir ({string.Join(", ", several)})";
                    break;
            }
        }

        var (server, source) = Server is { } flag ? (flag, "--server")
            : named is not null && ReadFile(named, ApiHost.AddressFile) is { } recorded ? (recorded, $"{Path.Combine(named, ApiHost.AddressFile)}")
            : environment("SLIPWAY_SERVER") is { Length: > 0 } fromEnvironment ? (fromEnvironment, "SLIPWAY_SERVER")
            : named is null && ReadFile(local, ApiHost.AddressFile) is { } here ? (here, $"{Path.Combine(".slipway", ApiHost.AddressFile)}")
            : (DefaultServer, "the default" + running);
        var token = !string.IsNullOrEmpty(Token) ? Token
            : named is not null && ReadFile(named, TokenStore.AdminTokenFile) is { } namedToken ? namedToken
            : environment("SLIPWAY_TOKEN") is { Length: > 0 } tokenFromEnvironment ? tokenFromEnvironment
            : named is null && LocalTokenFits(local, server) ? ReadFile(local, TokenStore.AdminTokenFile)
            : null;
        return (server, source, token);
    }

    private bool LocalTokenFits(string local, string server) =>
        Server is null || string.Equals(ReadFile(local, ApiHost.AddressFile)?.TrimEnd('/'), server.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    private static string? ReadFile(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        try
        {
            return System.IO.File.Exists(path) ? System.IO.File.ReadAllText(path).Trim() is { Length: > 0 } text ? text : null : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // another user's state directory: the next source is tried
        }
    }
}
