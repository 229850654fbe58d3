using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Slipway.Control.Audit;
using Slipway.Control.Autoscaling;
using Slipway.Control.Events;
using Slipway.Control.Rollouts;
using Slipway.Control.Runtime;
using Slipway.Control.State;
using Slipway.Control.Supervision;
using Slipway.Control.Telemetry;
using Slipway.Core.Manifest;
using Slipway.Core.Routing;
using Slipway.Testing;

namespace Slipway.Control.Tests.Autoscaling;

/// <summary>
/// An autoscaler on a manual clock over a host that only counts: one service <c>api</c> whose instances report the
/// CPU a test sets, resized at once when the autoscaler asks, and a rollout hold a test can set.
/// </summary>
internal sealed class AutoscalerHost : IEndpointLoad, IDisposable
{
    private readonly Lock _lock = new();
    private readonly TempDirectory _dir = new();
    private int _replicas;

    public AutoscalerHost(string autoscale, int replicas, string extra = "")
    {
        var result = ManifestLoader.LoadText($$"""
            app: t
            services:
              api:
                run: { command: x }
                routes: [ { path: / } ]
                replicas: {{replicas}}
                resources: { cpu: 1 }
                autoscale: {{autoscale}}
            {{extra}}
            """);
        Assert.True(result.IsValid, string.Join("\n", result.FormattedErrors));
        _replicas = replicas;
        Journal = new EventJournal(null, Clock, NullLogger.Instance);
        Journal.Recorded += Events.Enqueue;
        Requests = new RequestMetricsStore(Clock);
        Audit = new AuditLog(_dir.Path, Clock, new byte[32]);
        Autoscaler = new Autoscaler(new AutoscalerContext(
            new LiveManifest(result.Manifest!),
            Instances,
            _ => [new RevisionState("r1", "1", true, Replicas, Replicas, 0)],
            ResizeAsync,
            _ => (Hold, Canary),
            (_, total) => CanaryTotals.Add(total),
            new MetricReader(Requests, new ApplicationMetricsStore(), this),
            Journal,
            Audit,
            Clock,
            NullLogger.Instance));
    }

    public FakeTimeProvider Clock { get; } = TestClock.Create();

    public EventJournal Journal { get; }

    public RequestMetricsStore Requests { get; }

    public AuditLog Audit { get; }

    public Autoscaler Autoscaler { get; }

    public ConcurrentQueue<EventRecord> Events { get; } = new();

    public List<int> Resizes { get; } = [];

    public List<int> CanaryTotals { get; } = [];

    /// <summary>CPU each instance reports, in percent of its one core.</summary>
    public double CpuPercent { get; set; }

    public string? Hold { get; set; }

    public RolloutStatus? Canary { get; set; }

    public int Replicas
    {
        get
        {
            lock (_lock)
            {
                return _replicas;
            }
        }
    }

    /// <summary>Sets the count behind the autoscaler's back, as an apply of other bounds or a restart would find it.</summary>
    public void SetReplicas(int replicas)
    {
        lock (_lock)
        {
            _replicas = replicas;
        }
    }

    public IEnumerable<EventRecord> Of(string kind) => Events.Where(e => e.Kind == kind);

    public int InFlight(string endpointId) => 0;

    public void Dispose() => _dir.Dispose();

    /// <summary>Moves the clock on and looks once, as the loop would every interval.</summary>
    public Task LookAfterAsync(TimeSpan wait)
    {
        Clock.Advance(wait);
        return Autoscaler.SyncAsync("api");
    }

    private IReadOnlyList<InstanceStatus> Instances()
    {
        var now = Clock.GetUtcNow();
        return [.. Enumerable.Range(0, Replicas).Select(i => new InstanceStatus($"api-r1-{i}", "api", "r1", InstancePhase.Running, true, 1000 + i, 0, 0, false, null, CpuPercent, 0)
        {
            StartedAt = TestClock.Start - TimeSpan.FromHours(1),
            ReadySince = TestClock.Start - TimeSpan.FromHours(1),
            CpuSampledFrom = now - TimeSpan.FromSeconds(5),
            CpuLimit = 1,
        })];
    }

    private Task ResizeAsync(string service, int replicas)
    {
        lock (_lock)
        {
            _replicas = replicas;
        }

        Resizes.Add(replicas);
        return Task.CompletedTask;
    }
}
