using System.Globalization;
using Slipway.Control.State;
using Slipway.Core.Processes;
using Slipway.Testing;

namespace Slipway.EndToEnd.Tests;

/// <summary>`slipway up` as a real daemon process running the demo app.</summary>
public sealed class UpTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly List<SlipwayProcess> _daemons = [];

    private string StateDir => _dir.Combine("state");

    private string Manifest => _dir.Combine("slipway.yaml");

    public Task InitializeAsync()
    {
        File.WriteAllText(Manifest, $$"""
            app: e2e
            proxy: { listen: ["http://127.0.0.1:0"] }
            services:
              api:
                run:
                  command: dotnet
                  args: ["{{BuildOutput.DemoApp}}"]
                  env: { DEMO_VERSION: "${VERSION}" }
                replicas: 2
                routes: [ { path: / } ]
                health:
                  readiness: { http: /ready, period: 300ms, timeout: 300ms }
                stop: { drainTimeout: 1s, gracePeriod: 3s }
            """);
        return Task.CompletedTask;
    }

    private SlipwayProcess Up()
    {
        var daemon = new SlipwayProcess(_dir.Path, "up", Manifest, "--state-dir", StateDir, "--api", "127.0.0.1:0");
        _daemons.Add(daemon);
        return daemon;
    }

    /// <summary>The edge address the daemon printed: "slipway: proxy listening on http://127.0.0.1:PORT".</summary>
    private static Uri ProxyAddress(SlipwayProcess daemon)
    {
        var line = daemon.Output.Split('\n').First(l => l.StartsWith("slipway: proxy listening on ", StringComparison.Ordinal));
        var url = line["slipway: proxy listening on ".Length..].Split(';')[0].Trim();
        return new Uri(url);
    }

    [Fact]
    public async Task Up_ReadyInstances_ServeRequestsThroughTheProxy()
    {
        var daemon = Up();
        await daemon.UntilAsync(() => Count(daemon.Output, " ready ") >= 2, "two ready instances");
        using var client = new HttpClient { BaseAddress = ProxyAddress(daemon), Timeout = TimeSpan.FromSeconds(10) };

        var instances = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 20; i++)
        {
            using var response = await client.GetAsync(new Uri("/", UriKind.Relative));
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("1", response.Headers.GetValues("X-Demo-Version").Single());
            instances.Add(response.Headers.GetValues("X-Demo-Instance").Single());
        }

        Assert.Equal(2, instances.Count);
        daemon.Signal(Native.SigTerm);
        Assert.Equal(0, await daemon.WaitForExitAsync());
        Assert.DoesNotContain("Slipway.Access", daemon.Output, StringComparison.Ordinal); // proxy.accessLog is off by default
    }

    [Fact]
    public async Task Up_AccessLogOn_OneLinePerRequestOnTheDaemonsOutput()
    {
        File.WriteAllText(Manifest, File.ReadAllText(Manifest).Replace(
            "proxy: { listen: [\"http://127.0.0.1:0\"] }",
            "proxy: { listen: [\"http://127.0.0.1:0\"], accessLog: { enabled: true } }", StringComparison.Ordinal));
        var daemon = Up();
        await daemon.UntilAsync(() => Count(daemon.Output, " ready ") >= 2, "two ready instances");
        using var client = new HttpClient { BaseAddress = ProxyAddress(daemon), Timeout = TimeSpan.FromSeconds(10) };
        var path = "/logged-" + Guid.NewGuid().ToString("N")[..8];

        using (var response = await client.GetAsync(new Uri(path + "?q=1", UriKind.Relative)))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        }

        await daemon.UntilAsync(() => daemon.Output.Contains(path, StringComparison.Ordinal), "the request's access line");
        var line = daemon.Output.Split('\n').Single(l => l.Contains(path, StringComparison.Ordinal));
        Assert.Contains("Slipway.Access", line, StringComparison.Ordinal);
        Assert.Contains($"GET {client.BaseAddress!.Authority}{path}?q=1 200 ", line, StringComparison.Ordinal);
        Assert.Contains("service=api", line, StringComparison.Ordinal);
        daemon.Signal(Native.SigTerm);
        Assert.Equal(0, await daemon.WaitForExitAsync());
    }

    private static int Count(string text, string word) => text.Split('\n').Count(l => l.Contains(word, StringComparison.Ordinal));

    private List<InstanceRecord> ActiveInstances()
    {
        using var store = StateStore.Open(StateDir, readOnly: true);
        return store.Instances(activeOnly: true);
    }

    [Fact]
    public async Task Up_DaemonKilledAndStartedAgain_AdoptsSameInstancesAndLogsReadable()
    {
        var first = Up();
        await first.UntilAsync(() => Count(first.Output, " ready ") >= 2, "two ready instances");
        var before = ActiveInstances().ToDictionary(i => i.Id, i => (i.Pid, i.ProcessStartTime));
        Assert.Equal(2, before.Count);

        first.Signal(Native.SigKill);
        await first.WaitForExitAsync();
        Assert.All(before.Values, p => Assert.True(ProcFs.IsSameProcess(p.Pid, p.ProcessStartTime), "instances outlive a killed daemon"));

        // From the moment the second daemon starts, a request either waits (or finds nothing listening yet) or
        // gets its answer: never a 404 or 503 from an edge that listened before the routing table was back.
        var edgePort = ProxyAddress(first).Port;
        File.WriteAllText(Manifest, File.ReadAllText(Manifest).Replace("http://127.0.0.1:0", $"http://127.0.0.1:{edgePort}", StringComparison.Ordinal));
        var second = Up();
        var answers = await PollUntilAsync(edgePort, () => Count(second.Output, " adopted ") >= 2 && Count(second.Output, " ready ") >= 2);
        Assert.True(answers.All(a => a == 200), $"answers after the restart: {string.Join(", ", answers)}; output:\n{second.Output}");
        Assert.NotEmpty(answers);
        Assert.Equal(0, Count(second.Output, " started "));
        var after = ActiveInstances().ToDictionary(i => i.Id, i => (i.Pid, i.ProcessStartTime));
        Assert.Equal(before, after);

        // The verbs ask the daemon; --state-dir is where they find its admin token.
        var api = ApiAddress(second);
        using (var logs = new SlipwayProcess(_dir.Path, "logs", "api", "--grep", "listening", "--server", api, "--state-dir", StateDir))
        {
            Assert.Equal(0, await logs.WaitForExitAsync());
            Assert.Contains("api-1-0", logs.Output, StringComparison.Ordinal);
            Assert.Contains("api-1-1", logs.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("starting", logs.Output, StringComparison.Ordinal);
        }

        using (var events = new SlipwayProcess(_dir.Path, "events", "--service", "api", "--server", api, "--state-dir", StateDir))
        {
            Assert.Equal(0, await events.WaitForExitAsync());
            Assert.Equal(2, Count(events.Output, " adopted "));
        }

        second.Signal(Native.SigTerm);
        Assert.Equal(0, await second.WaitForExitAsync());
        Assert.All(after.Values, p => Assert.Empty(ProcFs.GroupMembers(p.Pid)));
        Assert.Empty(ActiveInstances());
        using var store = StateStore.Open(StateDir, readOnly: true);
        Assert.Equal(2, store.Events("api", 1000).Count(e => e.Kind == "stopped"));

        using var down = new SlipwayProcess(_dir.Path, "logs", "--server", api, "--state-dir", StateDir);
        Assert.Equal(1, await down.WaitForExitAsync());
        Assert.Contains($"daemon not reachable at {api}", down.Error, StringComparison.Ordinal);
    }

    /// <summary>GETs / every 10 ms until <paramref name="done"/> (and a few after); the status codes of the answers.</summary>
    private static async Task<List<int>> PollUntilAsync(int port, Func<bool> done)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        var answers = new List<int>();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var after = 0;
        while (after < 20 && !limit.IsCancellationRequested)
        {
            try
            {
                using var response = await client.GetAsync(new Uri("/", UriKind.Relative), limit.Token);
                answers.Add((int)response.StatusCode);
            }
            catch (HttpRequestException)
            {
                // Nothing listens between the kill and the new daemon's bind.
            }

            after += done() ? 1 : 0;
            await Task.Delay(10);
        }

        return answers;
    }

    [Fact]
    public async Task Up_Takeover_UnderLoad_DropsNoRequestAndAdoptsTheSameInstances()
    {
        var first = Up();
        await Wait.UntilAsync(() => Count(first.Output, " ready ") >= 2, $"two ready instances; output:\n{first.Output}\n{first.Error}");
        var edge = ProxyAddress(first);
        var before = ActiveInstances().ToDictionary(i => i.Id, i => i.Pid);

        // Four clients asking one after another on keep-alive connections, all through the hand-over.
        using var stop = new CancellationTokenSource();
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var answered = 0;
        var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            using var client = new HttpClient { BaseAddress = edge, Timeout = TimeSpan.FromSeconds(30) };
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await client.GetAsync(new Uri("/", UriKind.Relative), CancellationToken.None);
                    if (response.StatusCode != System.Net.HttpStatusCode.OK)
                    {
                        failures.Enqueue($"{(int)response.StatusCode}");
                    }

                    Interlocked.Increment(ref answered);
                }
                catch (HttpRequestException e)
                {
                    failures.Enqueue(e.Message);
                }
            }
        })).ToList();

        await Wait.UntilAsync(() => Volatile.Read(ref answered) > 50, "requests to flow");
        var second = new SlipwayProcess(_dir.Path, "up", Manifest, "--state-dir", StateDir, "--api", "127.0.0.1:0", "--takeover");
        _daemons.Add(second);
        Assert.Equal(0, await first.WaitForExitAsync(120));
        var atHandover = Volatile.Read(ref answered);
        await Wait.UntilAsync(() => Volatile.Read(ref answered) > atHandover + 50, "requests to the new daemon");
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        Assert.True(failures.IsEmpty, $"{failures.Count} failed of {answered}: {string.Join("; ", failures.Take(5))}\nold:\n{first.Output}\nnew:\n{second.Output}");
        Assert.Contains("handed over", first.Output, StringComparison.Ordinal);
        Assert.Contains($"took over from pid {first.Pid}", second.Output, StringComparison.Ordinal);
        Assert.Equal(2, Count(second.Output, " adopted "));
        Assert.Equal(0, Count(second.Output, " started "));
        Assert.Equal(before, ActiveInstances().ToDictionary(i => i.Id, i => i.Pid));
        Assert.Equal(edge, ProxyAddress(second));

        second.Signal(Native.SigTerm);
        Assert.Equal(0, await second.WaitForExitAsync());
    }

    [Fact]
    public async Task Up_InternalPortTaken_OneLineNamingServiceAndPortAndNothingCreated()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        File.WriteAllText(Manifest, File.ReadAllText(Manifest).Replace("    replicas: 2", $"    replicas: 2\n    internal: {{ port: {port} }}", StringComparison.Ordinal));

        var daemon = Up();

        Assert.Equal(1, await daemon.WaitForExitAsync());
        Assert.Equal($"slipway: services.api.internal.port {port} (127.0.0.1:{port}): 127.0.0.1:{port} is already in use by another process (choose another port, or stop what listens there)", daemon.Error.Trim());
        Assert.False(File.Exists(Path.Combine(StateDir, StateStore.FileName)), "the state store was created");
    }

    [Fact]
    public async Task Up_ApiPortTaken_OneLineAndNothingCreated()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var daemon = new SlipwayProcess(_dir.Path, "up", Manifest, "--state-dir", StateDir, "--api", $"127.0.0.1:{port}");
        _daemons.Add(daemon);

        Assert.Equal(1, await daemon.WaitForExitAsync());
        var lines = daemon.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"slipway: the control API (--api 127.0.0.1:{port}): 127.0.0.1:{port} is already in use by another process (choose another port, or stop what listens there)", Assert.Single(lines));
        Assert.False(File.Exists(Path.Combine(StateDir, StateStore.FileName)), "the state store was created");
        Assert.False(File.Exists(Path.Combine(StateDir, "admin.token")), "an admin token was issued");
        Assert.DoesNotContain(" started ", daemon.Output, StringComparison.Ordinal);
    }

    /// <summary>The control API the daemon printed: "slipway: control API on http://127.0.0.1:PORT".</summary>
    private static string ApiAddress(SlipwayProcess daemon) =>
        daemon.Output.Split('\n').First(l => l.StartsWith("slipway: control API on ", StringComparison.Ordinal))["slipway: control API on ".Length..].Trim();

    [Fact]
    public async Task Up_SecondDaemonOnSameStateDir_RefusesWithClearMessage()
    {
        var first = Up();
        await Wait.UntilAsync(() => first.Output.Contains("state in", StringComparison.Ordinal), "the first daemon to take the state directory");

        var second = Up();
        var exit = await second.WaitForExitAsync();

        Assert.Equal(1, exit);
        Assert.Contains($"another slipway daemon (pid {first.Pid.ToString(CultureInfo.InvariantCulture)}) is already running", second.Error, StringComparison.Ordinal);
        Assert.False(first.HasExited);
    }

    [Fact]
    public async Task Up_InvalidManifest_PrintsErrorsAndExitsTwo()
    {
        await File.WriteAllTextAsync(Manifest, "app: e2e\nservices:\n  api:\n    run: { command: x }\n    replicas: -1\n");

        using var daemon = new SlipwayProcess(_dir.Path, "up", Manifest, "--state-dir", StateDir, "--api", "127.0.0.1:0");

        Assert.Equal(2, await daemon.WaitForExitAsync());
        Assert.Contains("services.api.replicas must be between 0 and 1000 (got -1)", daemon.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", daemon.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_KeyNotSupportedYet_RefusedWithItsPlaceBeforeAnythingStarts()
    {
        await File.WriteAllTextAsync(Manifest, "app: e2e\nservices:\n  api:\n    run: { command: x }\n    slo: { window: 7d }\n");

        using var daemon = new SlipwayProcess(_dir.Path, "up", Manifest, "--state-dir", StateDir, "--api", "127.0.0.1:0");

        Assert.Equal(2, await daemon.WaitForExitAsync());
        Assert.Contains($"{Manifest}:5:20: services.api.slo.window is not supported yet: the burn-rate alerts are fixed for a 30-day objective", daemon.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(StateDir));
    }

    public async Task DisposeAsync()
    {
        foreach (var daemon in _daemons)
        {
            await daemon.StopAsync();
        }

        LeftoverInstances.Kill(StateDir);
        _dir.Dispose();
    }
}
