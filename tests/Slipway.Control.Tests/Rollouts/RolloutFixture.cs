using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Slipway.Backups;
using Slipway.Control.Events;
using Slipway.Control.Rollouts;
using Slipway.Control.Runtime;
using Slipway.Control.State;
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
    /// <param name="run">The service's <c>run:</c> (its env and secrets are what hooks get).</param>
    /// <param name="serviceYaml">More keys of the service, e.g. <c>stateful: true</c>.</param>
    /// <param name="secrets">The secret values hooks find.</param>
    public RolloutFixture(string deployYaml, int replicas = 4, DateTimeOffset? start = null, string appYaml = "", IReadOnlyDictionary<string, string>? environment = null,
        string run = "{ command: \"true\" }", string serviceYaml = "", IReadOnlyDictionary<string, string>? secrets = null)
    {
        Time = new FakeTimeProvider(start ?? TestClock.Start);
        var loaded = ManifestLoader.LoadText($$"""
            app: t
            services:
              api:
                run: {{run}}
                replicas: {{replicas}}
                deploy: {{deployYaml}}
                {{serviceYaml}}
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
        Clock = new SettlingClock(Time);
        Context = new RolloutContext(Host, Host, Journal, Store, Metrics, Clock, new ProcessRunner(TimeProvider.System), _smoke, _dir.Path)
        {
            // Real pg_dump processes on the real clock, as the hooks run.
            Backups = new DeployBackup(Manifest, _dir.Path, name => environment?.GetValueOrDefault(name), _ => null, TimeProvider.System, NullLogger.Instance),
            Secrets = new DictionarySecrets(secrets ?? new Dictionary<string, string>()),
            StateDirectory = _dir.Combine("state"),
        };
        Controller = new RolloutController(new LiveManifest(Manifest), Context);
    }

    /// <summary>The manifest's directory: relative paths in it (backup destinations, hook working directory) start here.</summary>
    public string Directory => _dir.Path;

    public FakeTimeProvider Time { get; }

    /// <summary>What the rollouts wait on: <see cref="Time"/>, with its armed timers counted.</summary>
    public SettlingClock Clock { get; }

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
    /// Advances the clock in <paramref name="step"/>s until <paramref name="done"/> holds, each step once the
    /// rollout's loops wait on the clock again; <paramref name="traffic"/> is called each step to record requests as
    /// the proxy would.
    /// </summary>
    public async Task DriveAsync(Func<bool> done, string what, TimeSpan? step = null, Action? traffic = null, int maxSteps = 5000)
    {
        await SettleAsync(done, Clock.Created, Clock.Fired, what);
        for (var i = 0; i < maxSteps; i++)
        {
            if (done())
            {
                return;
            }

            traffic?.Invoke();
            await StepAsync(step ?? TimeSpan.FromMilliseconds(200), done, what);
        }

        Assert.Fail($"{what} did not happen within {maxSteps} steps; events:\n{EventLines()}");
    }

    /// <summary>Moves the clock by <paramref name="by"/>, then waits until every loop it woke waits on the clock again.</summary>
    public Task StepAsync(TimeSpan by) => StepAsync(by, () => false, $"the loops to settle after a {by} step");

    private async Task StepAsync(TimeSpan by, Func<bool> done, string what)
    {
        var (created, fired) = (Clock.Created, Clock.Fired);
        Time.Advance(by);
        await SettleAsync(done, created, fired, what);
    }

    /// <summary>
    /// Until <paramref name="done"/> holds, or something waits on the clock and every timer fired since the marks
    /// has been followed by a new one (the loop it woke waits again). A loop busy off the clock (a real hook, a
    /// backup) is waited for, on the clock's signal, for a bounded time; one that ended waits on nothing.
    /// </summary>
    private async Task SettleAsync(Func<bool> done, int createdMark, int firedMark, string what)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!done())
        {
            var woken = Clock.Fired - firedMark;
            if (Clock.Armed > 0 && Clock.Created - createdMark >= woken)
            {
                return;
            }

            if (TimeProvider.System.GetElapsedTime(started) > TimeSpan.FromSeconds(60))
            {
                Assert.Fail($"waiting for {what}: nothing waits on the clock for 60s; events:\n{EventLines()}");
            }

            // A loop that ends arms nothing: look again now and then rather than wait for a timer that never comes.
            await Clock.ChangedAsync(TimeSpan.FromMilliseconds(50));
        }
    }

    private string EventLines() => string.Join("\n", Events.Select(e => $"{e.Kind}: {e.Message}"));

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
