using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Slipway.Control.Events;
using Slipway.Control.Jobs;
using Slipway.Control.Runtime;
using Slipway.Control.State;
using Slipway.Core.Manifest;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Processes;
using Slipway.Testing;

namespace Slipway.Control.Tests.Jobs;

/// <summary>A job runner on a manifest's <c>jobs:</c>, with real processes on the system clock and a real state store.</summary>
internal sealed class JobFixture : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();

    /// <param name="yaml">The manifest after <c>app:</c> (services and jobs).</param>
    /// <param name="currentVersion">The version a job's service runs.</param>
    public JobFixture(string yaml, IReadOnlyDictionary<string, string>? secrets = null, IReadOnlyDictionary<string, string>? shared = null, string currentVersion = "7")
    {
        var loaded = ManifestLoader.LoadText("app: t\n" + yaml, directory: _dir.Path);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.FormattedErrors));
        Manifest = loaded.Manifest!;
        Store = StateStore.Open(StateDirectory);
        Journal = new EventJournal(Store, TimeProvider.System, NullLogger.Instance);
        Journal.Recorded += Events.Enqueue;
        Runner = new JobRunner(new JobContext(new LiveManifest(Manifest), Store, Journal, TimeProvider.System, new ProcessRunner(TimeProvider.System, TimeSpan.FromMilliseconds(20)),
            new DictionarySecrets(secrets ?? new Dictionary<string, string>()), () => shared ?? new Dictionary<string, string>(),
            service => Manifest.Services.TryGetValue(service, out var spec) ? (currentVersion, spec) : ((string, ServiceSpec)?)null,
            _dir.Path, StateDirectory));
    }

    public string Directory => _dir.Path;

    public string StateDirectory => _dir.Combine("state");

    public AppManifest Manifest { get; }

    public StateStore Store { get; }

    public EventJournal Journal { get; }

    public JobRunner Runner { get; }

    public ConcurrentQueue<EventRecord> Events { get; } = new();

    public IEnumerable<EventRecord> Of(string kind) => Events.Where(e => e.Kind == kind);

    /// <summary>Starts a manual run and waits (bounded) for its end.</summary>
    public async Task<JobRunRecord> RunAsync(string job)
    {
        var start = Runner.Start(job, JobTrigger.Manual, "tester");
        Assert.True(start.Run is not null, start.Refusal);
        return await EndAsync(start.Run!.Id);
    }

    public async Task<JobRunRecord> EndAsync(long id) =>
        (await Runner.WaitAsync(id).WaitAsync(TimeSpan.FromSeconds(60)))!;

    public async ValueTask DisposeAsync()
    {
        await Runner.DisposeAsync();
        Store.Dispose();
        _dir.Dispose();
    }
}
