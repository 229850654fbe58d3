using Slipway.Control.Events;
using Slipway.Control.Probes;
using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Supervision;

/// <summary>
/// The endpoints of an <c>upstream:</c> service: not started by Slipway, only listed in routing — while their
/// readiness probe passes when they have one, always otherwise.
/// </summary>
internal sealed class UpstreamWatcher
{
    private readonly SupervisorContext _context;
    private readonly Action<UpstreamWatcher> _changed;
    private readonly Lock _lock = new();
    private readonly HashSet<string> _ready = new(StringComparer.Ordinal);

    public UpstreamWatcher(SupervisorContext context, string service, ServiceSpec spec, Action<UpstreamWatcher> changed)
    {
        _context = context;
        Service = service;
        Spec = spec;
        _changed = changed;
        Endpoints = [.. spec.Upstream!.Select(text => HostPort.TryParse(text, out var hp, out _) ? hp : default)];
        if (spec.Health.Readiness is null)
        {
            foreach (var endpoint in Endpoints)
            {
                _ready.Add(EndpointId(endpoint));
            }
        }
    }

    public string Service { get; }

    public ServiceSpec Spec { get; }

    public IReadOnlyList<HostPort> Endpoints { get; }

    public string EndpointId(HostPort endpoint) => $"{Service}@{endpoint}";

    public IReadOnlyList<HostPort> ReadyEndpoints()
    {
        lock (_lock)
        {
            return [.. Endpoints.Where(e => _ready.Contains(EndpointId(e)))];
        }
    }

    public Task RunAsync(CancellationToken stop) =>
        Spec.Health.Readiness is { } readiness
            ? Task.WhenAll(Endpoints.Select(e => WatchAsync(e, readiness, stop)))
            : Task.CompletedTask;

    private async Task WatchAsync(HostPort endpoint, ProbeSpec spec, CancellationToken stop)
    {
        var tracker = new ProbeTracker(spec);
        var id = EndpointId(endpoint);
        var target = new ProbeTarget(endpoint.Host, endpoint.Port, _context.Options.ManifestDirectory, Core.Processes.ProcessSpec.BaseEnvironment());
        try
        {
            await Task.Delay(spec.InitialDelay, _context.Time, stop).ConfigureAwait(false);
            while (true)
            {
                var result = await _context.Probes.For(spec).CheckAsync(spec, target, stop).ConfigureAwait(false);
                var change = tracker.Record(result.Success);
                if (change is not null)
                {
                    lock (_lock)
                    {
                        if (change == ProbeState.Passing)
                        {
                            _ready.Add(id);
                        }
                        else
                        {
                            _ready.Remove(id);
                        }
                    }

                    _context.Journal.Record(Service, id, change == ProbeState.Passing ? EventKinds.Ready : EventKinds.NotReady,
                        $"upstream {endpoint.ToString()} readiness: {result.Detail}");
                    _changed(this);
                }

                await Task.Delay(spec.Period, _context.Time, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    public override string ToString() => string.Join(", ", Endpoints.Select(e => e.ToString()));
}
