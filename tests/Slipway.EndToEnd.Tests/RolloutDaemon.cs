using Slipway.Control.State;
using Slipway.Testing;

namespace Slipway.EndToEnd.Tests;

/// <summary>`slipway up` with the demo app as service <c>api</c> (2 replicas) and the given deploy spec; CLI verbs against it.</summary>
internal sealed class RolloutDaemon : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<SlipwayProcess> _processes = [];

    /// <param name="deploy">The service's <c>deploy:</c> mapping, as YAML flow.</param>
    /// <remarks>
    /// Versions starting with <c>bad</c> answer half their requests with 500; <c>payfail</c> answer 200 but count half
    /// their payments as failed; <c>never</c> never become ready; <c>nohook</c> make the before hook fail. The version
    /// reaches the app as DEMO_VERSION through ${VERSION}.
    /// </remarks>
    /// <param name="metrics">The service's <c>metrics:</c> mapping, as YAML flow; none when null.</param>
    /// <param name="autoscale">The service's <c>autoscale:</c> mapping, as YAML flow; none when null.</param>
    public RolloutDaemon(string deploy, string? metrics = null, string? autoscale = null)
    {
        var demo = BuildOutput.DemoApp;
        File.WriteAllText(Manifest, $$"""
            app: e2e
            proxy: { listen: ["http://127.0.0.1:0"] }
            services:
              api:
                run:
                  command: sh
                  args: ["-c", "case ${VERSION} in bad*) export DEMO_FAIL_RATE=0.5;; payfail*) export DEMO_PAYMENT_FAIL_RATE=0.5;; never*) export DEMO_READY_AFTER=1h;; esac; exec dotnet {{demo}}"]
                  env: { DEMO_VERSION: "${VERSION}", DEMO_SHUTDOWN_TIMEOUT: 5s }
                replicas: 2
                routes: [ { path: / } ]
                health:
                  readiness: { http: /ready, period: 250ms, timeout: 250ms, failureThreshold: 3 }
                stop: { drainTimeout: 3s, gracePeriod: 5s }
                deploy: {{deploy}}
            {{(metrics is null ? "" : "    metrics: " + metrics)}}
            {{(autoscale is null ? "" : "    autoscale: " + autoscale)}}
            """);
    }

    public string StateDir => _dir.Combine("state");

    /// <summary>The manifest the daemon was started with (tests edit it to apply or restart with changes).</summary>
    public string Manifest => _dir.Combine("slipway.yaml");

    public SlipwayProcess Daemon { get; private set; } = null!;

    public Uri Proxy { get; private set; } = null!;

    public string Api { get; private set; } = "";

    public async Task StartAsync()
    {
        Daemon = Start("up", Manifest, "--state-dir", StateDir, "--api", "127.0.0.1:0");
        // The edge is said last: a restarted daemon's API answers first, its edge only once the adopted instances are routed.
        await UntilAsync(() => Daemon.Output.Split('\n').Count(l => l.Contains(" ready ", StringComparison.Ordinal)) >= 2
                && Daemon.Output.Contains("slipway: control API on ", StringComparison.Ordinal)
                && Daemon.Output.Contains("slipway: proxy listening on ", StringComparison.Ordinal),
            "two ready instances, the API and the edge");
        var lines = Daemon.Output.Split('\n');
        Proxy = new Uri(lines.First(l => l.StartsWith("slipway: proxy listening on ", StringComparison.Ordinal))["slipway: proxy listening on ".Length..].Split(';')[0].Trim());
        Api = lines.First(l => l.StartsWith("slipway: control API on ", StringComparison.Ordinal))["slipway: control API on ".Length..].Trim();
    }

    /// <summary>Stops the daemon (SIGTERM; its instances are drained and stopped).</summary>
    public Task StopAsync() => Daemon.StopAsync();

    /// <summary>Runs a CLI verb against the daemon and returns its exit code and output.</summary>
    public async Task<(int Exit, string Output)> CliAsync(params string[] args)
    {
        var process = Start([.. args, "--server", Api, "--state-dir", StateDir]);
        var exit = await process.WaitForExitAsync(120);
        return (exit, process.Output + process.Error);
    }

    /// <summary>
    /// Runs a CLI verb as a person at a terminal would: under <c>script</c>, so its stdin is a pseudo-terminal, with
    /// <paramref name="typed"/> typed ahead as the answer to any question it asks.
    /// </summary>
    public async Task<(int Exit, string Output)> CliAtTerminalAsync(string typed, params string[] args)
    {
        var command = string.Join(' ', new[] { "dotnet", BuildOutput.File("src", "Slipway.Cli", "slipway.dll") }
            .Concat(args).Concat(["--server", Api, "--state-dir", StateDir])
            .Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        var info = new System.Diagnostics.ProcessStartInfo("script")
        {
            WorkingDirectory = _dir.Path,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--quiet", "--return", "--command", command, "/dev/null" })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(typed + "\n");
        await process.StandardInput.FlushAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        process.StandardInput.Close();
        return (process.ExitCode, await output + await error);
    }

    /// <summary>The daemon's event lines that explain a failed request: readiness lost, probes failing, instances exiting.</summary>
    public string Troubles() => string.Join("\n", Daemon.Output.Split('\n').Where(l =>
        l.Contains(" not-ready ", StringComparison.Ordinal) || l.Contains(" probe-failed ", StringComparison.Ordinal) || l.Contains(" exited ", StringComparison.Ordinal)
        || l.Contains(" rollout-", StringComparison.Ordinal)));

    public List<EventRecord> Events()
    {
        using var store = StateStore.Open(StateDir, readOnly: true);
        return store.Events("api", 100_000);
    }

    public Task UntilAsync(Func<bool> condition, string what, int seconds = 60) => Daemon.UntilAsync(condition, what, seconds);

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.StopAsync();
        }

        LeftoverInstances.Kill(StateDir);
        _dir.Dispose();
    }

    private SlipwayProcess Start(params string[] args)
    {
        var process = new SlipwayProcess(_dir.Path, args);
        _processes.Add(process);
        return process;
    }
}
