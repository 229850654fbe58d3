using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Slipway.Core.Manifest;
using Slipway.Core.Manifest.Model;
using Slipway.Server.Auth;
using Slipway.Testing;

namespace Slipway.Server.Tests;

/// <summary>The real daemon host in-process: a temp state dir, the demo app as service <c>api</c> needing secret DEMO_SECRET, the API on a free port.</summary>
public sealed class DaemonFixture : IAsyncLifetime
{
    public const string SecretName = "DEMO_SECRET";

    private readonly TempDirectory _dir = new();
    private readonly string _extraYaml;

    public DaemonFixture()
        : this("")
    {
    }

    /// <param name="extraYaml">App-wide sections appended to the manifest (e.g. <c>alerts:</c>).</param>
    internal DaemonFixture(string extraYaml) => _extraYaml = extraYaml;

    internal SlipwayDaemon Daemon { get; private set; } = null!;

    internal RunningDaemon Running { get; private set; } = null!;

    public string StateDir => _dir.Combine("state");

    /// <summary>The manifest the daemon runs (tests plan edits of it; they do not apply them to this shared daemon).</summary>
    public string ManifestPath => _dir.Combine("slipway.yaml");

    public string BaseAddress { get; private set; } = "";

    public string AdminToken { get; private set; } = "";

    public StringWriter Output { get; } = new();

    internal AuthFailureLimiter Limiter { get; init; } = new(TimeProvider.System) { MaxFailures = 100_000 };

    /// <summary>Another manifest for the daemon, given the demo app's path; the default one needs DEMO_SECRET.</summary>
    public Func<string, string>? Manifest { get; init; }

    /// <summary>Put the state directory on a 4 MB tmpfs (<see cref="Disk"/>) to fill it.</summary>
    public bool OnSmallDisk { get; init; }

    /// <summary>The daemon's <see cref="DaemonOptions.DiskReserveBytes"/>.</summary>
    public long DiskReserveBytes { get; init; } = Control.State.StateDisk.DefaultReserveBytes;

    public SmallDisk? Disk { get; private set; }

    public async Task InitializeAsync()
    {
        var demo = BuildOutput.DemoApp;
        var manifestPath = ManifestPath;
        Disk = OnSmallDisk ? SmallDisk.Mount(StateDir) : null;
        await File.WriteAllTextAsync(manifestPath, Manifest?.Invoke(demo) ?? $$"""
            app: api-test
            jobs:
              greet:
                run: "sh -c 'echo hello from $SLIPWAY_JOB'"
                timeout: 30s
            services:
              api:
                run:
                  command: dotnet
                  args: ["{{demo}}"]
                  secrets: [{{SecretName}}]
                  env: { DEMO_LOG_REQUESTS: "true", DEMO_LOG_ERRORS: "true" }
                replicas: 1
                routes: [ { path: / } ]
                health:
                  readiness: { http: /ready, period: 300ms, timeout: 300ms }
                restart: { backoff: 200ms, maxBackoff: 1s }
                metrics: { path: /metrics, interval: 1s }
                stop: { drainTimeout: 1s, gracePeriod: 3s }
            {{_extraYaml}}
            """);
        var loaded = ManifestLoader.LoadFile(manifestPath);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.FormattedErrors));
        Daemon = new SlipwayDaemon(loaded.Manifest!, new DaemonOptions
        {
            ManifestPath = manifestPath,
            StateDirectory = StateDir,
            Api = new HostPort("127.0.0.1", 0),
            AuthLimiter = Limiter,
            DiskReserveBytes = DiskReserveBytes,
            DataPlane = DataPlane.None(),
        }, TimeProvider.System, NullLoggerFactory.Instance);
        var output = TextWriter.Synchronized(Output);
        Running = await Daemon.StartAsync(output, output, CancellationToken.None) ?? throw new InvalidOperationException($"the daemon did not start: {Output}");
        BaseAddress = Running.ApiAddress.Replace("[::]", "127.0.0.1", StringComparison.Ordinal);
        AdminToken = (await File.ReadAllTextAsync(Path.Combine(StateDir, TokenStore.AdminTokenFile))).Trim();
    }

    public HttpClient Client(string? token)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseAddress), Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>Issues a token with <paramref name="role"/> through the API (as admin).</summary>
    public async Task<string> TokenAsync(string name, string role)
    {
        using var admin = Client(AdminToken);
        var response = await admin.PostAsJsonAsync("/api/v1/tokens", new { name, role });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<Dictionary<string, string>>();
        return body!["token"];
    }

    public async Task DisposeAsync()
    {
        if (Running is not null)
        {
            // The daemon drains and stops the instances it started (its own process groups) before it returns.
            try
            {
                await Running.StopAsync().WaitAsync(TimeSpan.FromSeconds(60));
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"the daemon did not stop within 60 s; what it said:\n{Output}", e);
            }
        }

        Disk?.Dispose();
        _dir.Dispose();
    }
}
