using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Slipway.Backups.Postgres;
using Slipway.Control.Events;
using Slipway.Control.State;
using Slipway.Testing;

namespace Slipway.EndToEnd.Tests.Examples;

/// <summary>
/// `slipway up examples/NAME/slipway.yaml` as README.md runs it, on a copy beside the original (so its relative paths
/// hold) in which every fixed port is swapped for a free one, the demo app's path for this build's, and backup
/// destinations for a temporary directory; the edits shorten what a test cannot wait for (hours of
/// canary pauses), each of which must match. Secrets are set through the CLI once the control API answers, as a
/// person would after `up`.
/// </summary>
internal sealed partial class ExampleDaemon : IAsyncDisposable
{
    // The events that change whether an instance takes traffic. Others may follow "ready" and say nothing of it: a
    // cgroup the instance could not join (limits-not-enforced), a probe that failed once, started-up.
    private static readonly HashSet<string> ReadinessKinds =
    [
        EventKinds.Started, EventKinds.Ready, EventKinds.Recovered, EventKinds.NotReady, EventKinds.Exited, EventKinds.Restarting,
        EventKinds.Stopping, EventKinds.Stopped, EventKinds.Killed, EventKinds.Gone, EventKinds.OutOfMemory,
        EventKinds.LivenessFailed, EventKinds.StartupFailed, EventKinds.CrashLooping,
    ];

    private readonly TempDirectory _dir = new();
    private readonly List<SlipwayProcess> _processes = [];
    private readonly Dictionary<int, int> _ports = [];
    private readonly IReadOnlyDictionary<string, string> _secrets;

    public ExampleDaemon(string example, IReadOnlyDictionary<string, string> secrets, params (string From, string To)[] edits)
    {
        _secrets = secrets;
        Manifest = RepositoryRoot.File("examples", example, $".test-{Guid.NewGuid():N}.yaml");
        var text = File.ReadAllText(RepositoryRoot.File("examples", example, "slipway.yaml"))
            .Replace("../demo-app/bin/Release/net10.0/demo-app.dll", BuildOutput.DemoApp, StringComparison.Ordinal);
        text = FixedPort().Replace(text, m => m.Groups["before"].Value + PortFor(int.Parse(m.Groups["port"].Value, CultureInfo.InvariantCulture)));
        text = BackupDestination().Replace(text, m => m.Groups["before"].Value + BackupDirectory);
        foreach (var (from, to) in edits)
        {
            Assert.True(text.Contains(from, StringComparison.Ordinal), $"examples/{example}/slipway.yaml no longer holds `{from}`");
            text = text.Replace(from, to, StringComparison.Ordinal);
        }

        File.WriteAllText(Manifest, text);
    }

    /// <summary>The copy the daemon runs (deleted at the end).</summary>
    public string Manifest { get; }

    public string StateDir => _dir.Combine("state");

    /// <summary>Where the copy's backups go: a child of a directory others may pass, as pg_receivewal (postgres) must.</summary>
    public string BackupDirectory => _dir.Combine("backups");

    public SlipwayProcess Daemon { get; private set; } = null!;

    /// <summary>The first edge listener.</summary>
    public Uri Edge { get; private set; } = null!;

    public string Api { get; private set; } = "";

    /// <summary>The port the copy uses where the example says <paramref name="original"/>.</summary>
    public int Port(int original) => _ports[original];

    public async Task StartAsync()
    {
        Daemon = Start(new SlipwayProcessOptions(), "up", Manifest, "--state-dir", StateDir, "--api", "127.0.0.1:0");
        await Daemon.UntilAsync(() => Daemon.Output.Contains("slipway: control API on ", StringComparison.Ordinal), "the control API", seconds: 90);
        Api = Line("slipway: control API on ");
        foreach (var (name, value) in _secrets)
        {
            var (exit, output) = await CliWithInputAsync(value, "secrets", "set", name);
            Assert.True(exit == 0, $"secrets set {name} exited {exit}: {output}");
        }

        // The edge is said once it accepts, which may be after the API (and after the secrets it waits for).
        await Daemon.UntilAsync(() => Daemon.Output.Contains("slipway: proxy listening on ", StringComparison.Ordinal), "the edge", seconds: 90);
        Edge = new Uri(Line("slipway: proxy listening on ").Split([',', ';'])[0].Trim());
    }

    private string Line(string prefix) => Daemon.Output.Split('\n').First(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..].Trim();

    /// <summary>Waits until every named service has this many ready instances (by the daemon's event lines).</summary>
    public Task UntilReadyAsync(IReadOnlyDictionary<string, int> services, int seconds = 120) =>
        Daemon.UntilAsync(() => services.All(s => ReadyInstances(s.Key) >= s.Value), "services ready: " + string.Join(", ", services.Select(s => $"{s.Key}×{s.Value}")), seconds);

    /// <summary>Instances of the service whose newest event line about readiness says ready.</summary>
    public int ReadyInstances(string service)
    {
        var newest = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in Daemon.Output.Split('\n'))
        {
            var fields = line.Split(' ', 5, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 4 && fields[1] == service && fields[2] != "-" && ReadinessKinds.Contains(fields[3]))
            {
                newest[fields[2]] = fields[3];
            }
        }

        return newest.Values.Count(kind => kind is EventKinds.Ready or EventKinds.Recovered);
    }

    /// <summary>Runs a CLI verb against the daemon; its exit code and output.</summary>
    public Task<(int Exit, string Output)> CliAsync(params string[] args) => CliWithInputAsync(null, args);

    /// <param name="input">Written to its stdin (a secret's value), which is then closed.</param>
    public async Task<(int Exit, string Output)> CliWithInputAsync(string? input, params string[] args)
    {
        var process = Start(new SlipwayProcessOptions(), [.. args, "--server", Api, "--state-dir", StateDir]);
        if (input is not null)
        {
            process.Input(input);
        }

        var exit = await process.WaitForExitAsync(180);
        return (exit, process.Output + process.Error);
    }

    public List<EventRecord> Events(string service)
    {
        using var store = StateStore.Open(StateDir, readOnly: true);
        return store.Events(service, 100_000);
    }

    public List<JobRunRecord> JobRuns(string job)
    {
        using var store = StateStore.Open(StateDir, readOnly: true);
        return store.JobRuns(job);
    }

    /// <summary>
    /// Runs SQL with psql over TCP as <paramref name="user"/> with <paramref name="password"/> (scram-sha-256: only the
    /// right password gets in) on the PostgreSQL the example runs at <paramref name="originalPort"/>; the unaligned output.
    /// </summary>
    public async Task<string> SqlAsync(int originalPort, string user, string password, string sql)
    {
        var (code, output) = await ExternalTool.RunAsync(PostgresBinaries.Locate().Psql,
            [$"postgresql://{user}:{password}@127.0.0.1:{Port(originalPort)}/{user}", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql]);
        Assert.True(code == 0, $"psql: {output}");
        return output.Trim();
    }

    /// <summary>
    /// Stops the daemon as Ctrl-C would and asserts it stopped clean: exit 0, and not one process of any instance left.
    /// </summary>
    public async Task StopCleanAsync()
    {
        Daemon.Signal(Native.SigTerm);
        var exit = await Daemon.WaitForExitAsync(120);
        Assert.True(exit == 0, $"slipway exited {exit}:\n{Daemon.Output}\n{Daemon.Error}");
        using var store = StateStore.Open(StateDir, readOnly: true);
        var left = store.Instances(activeOnly: false)
            .Where(i => InstanceGroups.IsRunning(i.Pid, i.ProcessStartTime))
            .Select(i => i.Id)
            .ToList();
        Assert.True(left.Count == 0, "still running after the daemon stopped: " + string.Join(", ", left));
    }

    /// <summary>A client of the edge that never follows redirects and never pools across tests.</summary>
    public HttpClient Client() => new(new SocketsHttpHandler { UseProxy = false, UseCookies = false, AllowAutoRedirect = false })
    {
        BaseAddress = Edge,
        Timeout = TimeSpan.FromSeconds(15),
    };

    /// <summary>GETs through the edge until it answers 200 (instances may still be joining the table); the body.</summary>
    public async Task<HttpResponseMessage> UntilOkAsync(HttpClient client, string path, string? host = null, int seconds = 60)
    {
        HttpResponseMessage? last = null;
        await Daemon.UntilAsync(async () =>
        {
            last?.Dispose();
            last = null;
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (host is not null)
            {
                request.Headers.Host = host;
            }

            // A refused connection or a timeout is another look; another status is one too, named if it is the last.
            last = await client.SendAsync(request);
            return last.StatusCode == HttpStatusCode.OK ? true : throw new HttpRequestException($"answered {(int)last.StatusCode}");
        }, $"GET {host}{path} to answer 200", seconds);
        return last!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.StopAsync();
        }

        LeftoverInstances.Kill(StateDir);
        File.Delete(Manifest);
        _dir.Dispose();
    }

    private int PortFor(int original)
    {
        if (!_ports.TryGetValue(original, out var port))
        {
            _ports[original] = port = FreePort.Next();
        }

        return port;
    }

    private SlipwayProcess Start(SlipwayProcessOptions options, params string[] args)
    {
        var process = new SlipwayProcess(_dir.Path, options, args);
        _processes.Add(process);
        return process;
    }

    [GeneratedRegex(@"(?<before>127\.0\.0\.1:|port: )(?<port>\d{4,5})\b")]
    private static partial Regex FixedPort();

    [GeneratedRegex(@"(?<before>destination: )backups\b")]
    private static partial Regex BackupDestination();
}
