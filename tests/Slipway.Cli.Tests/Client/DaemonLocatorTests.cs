using Slipway.Cli.Client;
using Slipway.Testing;

namespace Slipway.Cli.Tests.Client;

public sealed class DaemonLocatorTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Dictionary<string, string> _environment = [];

    public DaemonLocatorTests()
    {
        // The working directory holds one app's state; apps/other holds another's.
        Write(_dir.Combine(".slipway"), "http://127.0.0.1:7700", "slw_here");
        Write(_dir.Combine("apps", "other", ".slipway"), "http://127.0.0.1:7811", "slw_other");
    }

    private (string Server, string Source, string? Token) Resolve(string? server = null, string? token = null, string? stateDir = null, string? file = null, string? workingDirectory = null) =>
        new DaemonLocator(server, token, stateDir, file).Resolve(name => _environment.GetValueOrDefault(name), workingDirectory ?? _dir.Path);

    [Fact]
    public void Resolve_NothingNamedNothingHere_UsesTheOneDaemonThisUserRuns()
    {
        _environment["XDG_RUNTIME_DIR"] = _dir.Combine("run");
        var other = _dir.Combine("apps", "other", ".slipway");
        File.WriteAllText(Path.Combine(other, "daemon.pid"), $"{Environment.ProcessId}\n");
        Assert.NotNull(Slipway.Server.DaemonRegistry.Register(other, name => _environment.GetValueOrDefault(name)));

        var elsewhere = Directory.CreateDirectory(_dir.Combine("elsewhere")).FullName;

        Assert.Equal(("http://127.0.0.1:7811", Path.Combine(other, "api.url"), "slw_other"), Resolve(workingDirectory: elsewhere));
        Assert.Equal("slw_here", Resolve().Token); // a ./.slipway still comes first
    }

    [Fact]
    public void Resolve_NothingNamedNothingHere_SeveralDaemons_ChoosesNoneAndNamesThem()
    {
        _environment["XDG_RUNTIME_DIR"] = _dir.Combine("run");
        var here = _dir.Combine(".slipway");
        var other = _dir.Combine("apps", "other", ".slipway");
        var stopped = _dir.Combine("apps", "stopped", ".slipway");
        Write(stopped, "http://127.0.0.1:7822", "slw_stopped");
        File.WriteAllText(Path.Combine(here, "daemon.pid"), $"{Environment.ProcessId}\n");
        File.WriteAllText(Path.Combine(other, "daemon.pid"), $"{Environment.ProcessId}\n");
        File.WriteAllText(Path.Combine(stopped, "daemon.pid"), "999999999\n"); // killed: its entry stayed
        foreach (var stateDirectory in new[] { here, other, stopped })
        {
            Slipway.Server.DaemonRegistry.Register(stateDirectory, name => _environment.GetValueOrDefault(name));
        }

        var (server, source, token) = Resolve(workingDirectory: Directory.CreateDirectory(_dir.Combine("elsewhere")).FullName);

        Assert.Equal(("http://127.0.0.1:7700", (string?)null), (server, token));
        Assert.Equal($"the default; 2 daemons run for this user, so none was chosen: pass --file or --state-dir ({string.Join(", ", new[] { other, here }.Order(StringComparer.Ordinal))})", source);
    }

    [Fact]
    public void Resolve_NothingNamed_UsesTheWorkingDirectorysDaemonAndToken()
    {
        Assert.Equal(("http://127.0.0.1:7700", Path.Combine(".slipway", "api.url"), "slw_here"), Resolve());
    }

    [Fact]
    public void Resolve_File_UsesTheStateDirectoryBesideItNotTheWorkingDirectorys()
    {
        var (server, _, token) = Resolve(file: _dir.Combine("apps", "other", "slipway.yaml"));

        Assert.Equal(("http://127.0.0.1:7811", "slw_other"), (server, token));
    }

    [Fact]
    public void Resolve_StateDirWithoutToken_NeverFallsBackToTheWorkingDirectorysToken()
    {
        var empty = _dir.Combine("empty-state");
        Directory.CreateDirectory(empty);

        var (server, source, token) = Resolve(stateDir: empty);

        Assert.Null(token);
        Assert.Equal(("http://127.0.0.1:7700", "the default"), (server, source));
    }

    [Fact]
    public void Resolve_ServerElsewhere_DoesNotSendTheWorkingDirectorysToken()
    {
        Assert.Null(Resolve(server: "http://127.0.0.1:7999").Token);
        Assert.Equal("slw_here", Resolve(server: "http://127.0.0.1:7700/").Token);
    }

    [Fact]
    public void Resolve_CommandLineBeatsEnvironmentBeatsWorkingDirectory()
    {
        _environment["SLIPWAY_SERVER"] = "http://127.0.0.1:7900";
        _environment["SLIPWAY_TOKEN"] = "slw_env";

        Assert.Equal(("http://127.0.0.1:7900", "SLIPWAY_SERVER", "slw_env"), Resolve());
        var (server, _, token) = Resolve(file: _dir.Combine("apps", "other", "slipway.yaml"));
        Assert.Equal(("http://127.0.0.1:7811", "slw_other"), (server, token));
        Assert.Equal(("http://127.0.0.1:7000", "--server", "slw_flag"), Resolve(server: "http://127.0.0.1:7000", token: "slw_flag"));
    }

    public void Dispose() => _dir.Dispose();

    private static void Write(string stateDirectory, string url, string token)
    {
        Directory.CreateDirectory(stateDirectory);
        File.WriteAllText(Path.Combine(stateDirectory, "api.url"), url + "\n");
        File.WriteAllText(Path.Combine(stateDirectory, "admin.token"), token + "\n");
    }
}
