using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Slipway.Backups;
using Slipway.Control.Apply;
using Slipway.Control.Rollouts;
using Slipway.Control.State;
using Slipway.Control.Supervision;
using Slipway.Control.Telemetry;
using Slipway.Core.Manifest;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Processes;
using Slipway.Core.Routing;
using Slipway.Testing;

namespace Slipway.Control.Tests.Rollouts;

/// <summary>A rollout controller on a manual clock, a real state store and metrics store, and a <see cref="FakeRevisionHost"/>.</summary>
internal sealed class RolloutFixture : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly SmokeChecker _smoke;

    /// <param name="appYaml">More top-level manifest sections, e.g. <c>backups:</c>.</param>
    /// <param name="environment">What <c>env:</c> references resolve to, for backups.</param>
    public RolloutFixture(string deployYaml, int replicas = 4, DateTimeOffset? start = null, string appYaml = "", IReadOnlyDictionary<string, string>? environment = null)
    {
        Time = new FakeTimeProvider(start ?? TestClock.Start);
        var loaded = ManifestLoader.LoadText($$"""
            app: t
            services:
              api:
                run: { command: "true" }
                replicas: {{replicas}}
                deploy: {{deployYaml}}
            {{appYaml}}
            """, directory: _dir.Path);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.FormattedErrors));
        Manifest = loaded.Manifest!;
        Store = StateStore.Open(_dir.Combine("state"));
        var first = Store.CreateRevision("api", "1", null, "daemon", "first start", Time.GetUtcNow());
        Store.MakeCurrent("api", first.Revision);
        Host = new FakeRevisionHost("api", first.Revision, "1", replicas);
        Metrics = new RequestMetricsStore(Time);
        Journal = new EventJournal(Store, Time, NullLogger.Instance);
        Journal.Recorded += Events.Enqueue;
        _smoke = new SmokeChecker(() => null, Time);
        Context = new RolloutContext(Host, Journal, Store, Metrics, Time, new ProcessRunner(TimeProvider.System), _smoke, _dir.Path)
        {
            // Real pg_dump processes on the real clock, as the hooks run.
            Backups = new DeployBackup(Manifest, _dir.Path, name => environment?.GetValueOrDefault(name), _ => null, TimeProvider.System, NullLogger.Instance),
        };
        Controller = new RolloutController(new LiveManifest(Manifest), Context);
    }

    /// <summary>The manifest's directory: relative paths in it (backup destinations, hook working directory) start here.</summary>
    public string Directory => _dir.Path;

    public FakeTimeProvider Time { get; }

    public AppManifest Manifest { get; }

    public StateStore Store { get; }

    public FakeRevisionHost Host { get; }

    public RequestMetricsStore Metrics { get; }

    public EventJournal Journal { get; }

    public RolloutContext Context { get; }

    public RolloutController Controller { get; }

    public ConcurrentQueue<EventRecord> Events { get; } = new();

    public IEnumerable<EventRecord> Of(string kind) => Events.Where(e => e.Kind == kind);

    public Task<RolloutStatus> DeployAsync(string version, bool force = false) =>
        Controller.DeployAsync(new RolloutRequest("api", version, force, "test", "tester"));

    /// <summary>
    /// Advances the clock in <paramref name="step"/>s until <paramref name="done"/> holds, letting the rollout's loop
    /// run between steps; <paramref name="traffic"/> is called each step to record requests as the proxy would.
    /// </summary>
    public async Task DriveAsync(Func<bool> done, string what, TimeSpan? step = null, Action? traffic = null, int maxSteps = 5000)
    {
        for (var i = 0; i < maxSteps; i++)
        {
            if (done())
            {
                return;
            }

            traffic?.Invoke();
            Time.Advance(step ?? TimeSpan.FromMilliseconds(200));
            await Task.Yield();
            for (var spin = 0; spin < 20 && !done(); spin++)
            {
                await Task.Delay(1);
            }
        }

        Assert.Fail($"{what} did not happen within {maxSteps} steps; events:\n{string.Join("\n", Events.Select(e => $"{e.Kind}: {e.Message}"))}");
    }

    /// <summary>Requests the proxy would have recorded this step, split by the current weights.</summary>
    /// <param name="canaryMilliseconds">How long each canary request takes; stable ones take 5 ms.</param>
    public void Serve(int requests, double canaryFailRate, double canaryMilliseconds = 5)
    {
        var split = Host.Switches.LastOrDefault();
        if (split.Weights is null)
        {
            Record(split.Current ?? "1", requests, 0);
            return;
        }

        var total = Math.Max(1, split.Weights.Values.Sum());
        foreach (var (revision, weight) in split.Weights)
        {
            var n = requests * weight / total;
            var canary = revision != split.Current;
            Record(revision, n, canary ? canaryFailRate : 0, canary ? canaryMilliseconds : 5);
        }
    }

    public void Record(string revision, int count, double failRate, double milliseconds = 5)
    {
        var failures = (int)Math.Round(count * failRate);
        for (var i = 0; i < count; i++)
        {
            Metrics.Record(new RequestSample("api", revision, "api#0", null, i < failures ? 500 : 200, TimeSpan.FromMilliseconds(milliseconds), 0, 10, false, false));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Controller.DisposeAsync();
        _smoke.Dispose();
        Store.Dispose();
        _dir.Dispose();
    }
}
