using Slipway.Testing;

namespace Slipway.EndToEnd.Tests;

/// <summary>
/// One `slipway up` for the least-privilege tests, started as an operator would start it in production: under
/// umask 022, with the master key, an API token, a secret override and a database URL in its environment. Its
/// one service writes the environment it was given to <c>service.env</c> and prints a line that tries to take
/// over a terminal (window title, erase line, carriage return, a fake status); its exec readiness probe writes
/// its environment to <c>probe.env</c> and fails with such a line on stderr. Each file is written beside and renamed into
/// place: the probe rewrites its file every second, and a test that read it mid-write found it without GIVEN.
/// </summary>
public sealed class PrivilegeDaemon : IAsyncLifetime
{
    /// <summary>What the daemon's environment holds that no child may see.</summary>
    public static readonly IReadOnlyDictionary<string, string?> DaemonSecrets = new Dictionary<string, string?>
    {
        ["SLIPWAY_MASTER_KEY"] = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        ["SLIPWAY_TOKEN"] = "slw_not-for-children",
        ["SLIPWAY_SECRET_EXTRA"] = "extra-secret-value",
        ["DATABASE_URL"] = "postgresql://app:hunter2@127.0.0.1:5432/shop",
    };

    /// <summary>Window title, erase line, carriage return, then a fake all-clear.</summary>
    public const string Takeover = "\u001b]0;pwned\u0007\u001b[2K\rall services healthy";

    private readonly TempDirectory _dir = new();
    private readonly List<SlipwayProcess> _processes = [];

    public string Directory => _dir.Path;

    public string StateDir => _dir.Combine("state");

    public string Manifest => _dir.Combine("slipway.yaml");

    internal SlipwayProcess Daemon { get; private set; } = null!;

    public string Api { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(Manifest, """
            app: privilege
            proxy: { listen: ["http://127.0.0.1:0"] }
            services:
              env:
                run:
                  command: sh
                  args: ["-c", "tr '\\000' '\\n' < /proc/self/environ > service.tmp && mv service.tmp service.env; printf 'plain line\\n\\033]0;pwned\\007\\033[2K\\rall services healthy\\n'; exec sleep 600"]
                  env: { GIVEN: by-the-manifest }
                health:
                  readiness:
                    exec: ["sh", "-c", "tr '\\000' '\\n' < /proc/self/environ > probe.tmp && mv probe.tmp probe.env; printf '\\033]0;pwned\\007\\033[2K\\rall services healthy' >&2; exit 1"]
                    period: 1s
                    timeout: 1s
                stop: { drainTimeout: 0s, gracePeriod: 2s }
            """);
        Daemon = new SlipwayProcess(_dir.Path, new SlipwayProcessOptions { Environment = DaemonSecrets, Umask = "022" },
            "up", Manifest, "--state-dir", StateDir, "--api", "127.0.0.1:0");
        _processes.Add(Daemon);
        await UntilAsync(() => Daemon.Output.Contains(" probe-failed ", StringComparison.Ordinal)
                && File.Exists(_dir.Combine("service.env")) && File.Exists(_dir.Combine("probe.env")),
            "the service to start and its probe to fail once");
        Api = Daemon.Output.Split('\n').First(l => l.StartsWith("slipway: control API on ", StringComparison.Ordinal))["slipway: control API on ".Length..].Trim();
    }

    /// <summary>Each variable a file written by <c>tr '\0' '\n' &lt; /proc/self/environ</c> holds, by name.</summary>
    public Dictionary<string, string> EnvironmentIn(string file) =>
        File.ReadAllLines(_dir.Combine(file)).Where(l => l.Contains('=', StringComparison.Ordinal))
            .ToDictionary(l => l[..l.IndexOf('=', StringComparison.Ordinal)], l => l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..], StringComparer.Ordinal);

    /// <summary>Runs a CLI verb against the daemon (the admin token from the state directory) and returns its exit code and output.</summary>
    public async Task<(int Exit, string Output)> CliAsync(params string[] args)
    {
        var process = new SlipwayProcess(_dir.Path, [.. args, "--server", Api, "--state-dir", StateDir]);
        _processes.Add(process);
        var exit = await process.WaitForExitAsync(120);
        return (exit, process.Output + process.Error);
    }

    public async Task UntilAsync(Func<bool> condition, string what, int seconds = 90)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        while (!condition())
        {
            if (timeout.IsCancellationRequested || Daemon.HasExited)
            {
                Assert.Fail($"timed out after {seconds}s waiting for {what}; output:\n{Daemon.Output}\n{Daemon.Error}");
            }

            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.StopAsync();
        }

        LeftoverInstances.Kill(StateDir);
        _dir.Dispose();
    }
}
