using Slipway.Control.Events;
using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Autoscaling;

/// <summary>
/// Keeps every <c>autoscale</c> service's replicas where its targets want them, as a Kubernetes
/// HorizontalPodAutoscaler would (see README.md): each service is looked at every <c>autoscale.interval</c> by its
/// own <see cref="ServiceAutoscaler"/>, and a decision to change is carried out by the supervisor (or, during a
/// canary, by the rollout, in proportion to the weights), recorded as an event and counted in <c>/metrics</c>.
/// </summary>
/// <remarks>
/// The manifest is read at every look, so <c>slipway apply</c> changes bounds and targets at once; a service whose
/// <c>autoscale</c> is removed keeps the count it has. While a rolling, blue-green or rollback rollout runs, or a
/// blue-green old set is warm, the service is left alone until it settles.
/// </remarks>
internal sealed partial class Autoscaler
{
    /// <summary>How often the loop checks which services are due; each is looked at on its own interval.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private readonly AutoscalerContext _context;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ServiceState> _services = new(StringComparer.Ordinal);

    public Autoscaler(AutoscalerContext context) => _context = context;

    /// <summary>Looks at each autoscaled service every <c>autoscale.interval</c> until <paramref name="stop"/> fires.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var running = new Dictionary<string, Task>(StringComparer.Ordinal);
        while (!stop.IsCancellationRequested)
        {
            var now = _context.Time.GetUtcNow();
            var autoscaled = Autoscaled();
            Forget(autoscaled);
            foreach (var (name, spec) in autoscaled)
            {
                if ((!running.TryGetValue(name, out var task) || task.IsCompleted) && Due(name, spec, now))
                {
                    running[name] = Task.Run(() => LookAsync(name), CancellationToken.None);
                }
            }

            try
            {
                await Task.Delay(Tick, _context.Time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await Task.WhenAll(running.Values).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>What the autoscaler last saw and decided for <paramref name="service"/>; null when it does not scale it.</summary>
    public AutoscaleStatus? Status(string service)
    {
        lock (_lock)
        {
            return _services.TryGetValue(service, out var state) ? state.Status : null;
        }
    }

    /// <summary>One look at one service: read its targets, decide, carry the decision out. The loop calls it; so do tests.</summary>
    public async Task SyncAsync(string service)
    {
        if (_context.Manifest.Services.GetValueOrDefault(service) is not { Run: not null, Autoscale: { } spec } serviceSpec)
        {
            return;
        }

        var state = StateOf(service);
        var now = _context.Time.GetUtcNow();
        state.LookedAt = now;
        var (hold, canary) = _context.Hold(service);
        var revisions = _context.Revisions(service);
        string[] counted = canary is { } c ? [c.StableRevision, c.Revision] : revisions.Where(r => r.Current).Select(r => r.Revision).Take(1).ToArray();
        var current = revisions.Where(r => counted.Contains(r.Revision)).Sum(r => r.Desired);
        if (hold is not null || counted.Length == 0)
        {
            var bounds = ScaleBounds.At(spec, now, _context.Time.LocalTimeZone);
            NoteBounds(service, spec, state, bounds);
            Held(service, state, hold is null ? "the service has no current revision yet" : $"paused while the {hold}");
            state.Status = new AutoscaleStatus(bounds.Min, bounds.Max, bounds.Entry is null ? null : bounds.ToString(), current, current, state.Status?.Metrics ?? [], state.HeldBy, null, now, state.LastScaled);
            return;
        }

        var instances = _context.Instances().Where(i => i.Service == service && counted.Contains(i.Revision)).ToList();
        var decision = state.Scaler.Decide(spec, current, instances, now, _context.Time.LocalTimeZone, serviceSpec.Metrics?.Interval ?? new MetricsSpec().Interval);
        NoteBounds(service, spec, state, decision.Bounds);
        if (decision.Held is { } held)
        {
            Held(service, state, held);
        }
        else
        {
            Resumed(service, state);
            if (decision.Desired != decision.Current)
            {
                _context.Journal.Record(service, null, EventKinds.Autoscaled,
                    $"{decision.Current} → {decision.Desired}: {decision.Reason}" + (decision.Limited is null ? "" : $" ({decision.Limited})") + (canary is null ? "" : $" (canary at {canary.Weights.GetValueOrDefault(canary.Revision)}%: both revisions in proportion)"));
                if (canary is not null)
                {
                    _context.ResizeCanary(service, decision.Desired);
                }
                else
                {
                    await _context.Resize(service, decision.Desired).ConfigureAwait(false);
                }

                state.Scaler.Scaled(spec, now, decision.Current, decision.Desired);
                state.LastScaled = now;
                state.Count(decision.Desired > decision.Current);
            }
        }

        state.Status = new AutoscaleStatus(decision.Bounds.Min, decision.Bounds.Max, decision.Bounds.Entry is null ? null : decision.Bounds.ToString(),
            decision.Current, decision.Desired, decision.Metrics, state.HeldBy, decision.Limited, now, state.LastScaled);
    }

    private async Task LookAsync(string service)
    {
        try
        {
            await SyncAsync(service).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug or a refused change must not stop the other services' autoscaling; the next look tries again.
            AutoscalerLog.SyncFailed(_context.Logger, service, e);
        }
    }

    private List<(string Name, AutoscaleSpec Spec)> Autoscaled() =>
        [.. _context.Manifest.Services.Where(s => s.Value is { Run: not null, Autoscale: not null }).Select(s => (s.Key, s.Value.Autoscale!))];

    private bool Due(string service, AutoscaleSpec spec, DateTimeOffset now)
    {
        lock (_lock)
        {
            return !_services.TryGetValue(service, out var state) || state.LookedAt is not { } last || now - last >= spec.Interval;
        }
    }

    /// <summary>Services no longer autoscaled (apply removed them or their <c>autoscale</c>) keep their count; their state goes.</summary>
    private void Forget(List<(string Name, AutoscaleSpec Spec)> autoscaled)
    {
        lock (_lock)
        {
            foreach (var name in _services.Keys.Where(n => !autoscaled.Exists(a => a.Name == n)).ToList())
            {
                _services.Remove(name);
            }
        }
    }

    private ServiceState StateOf(string service)
    {
        lock (_lock)
        {
            if (!_services.TryGetValue(service, out var state))
            {
                state = new ServiceState(new ServiceAutoscaler(service, _context.Reader));
                _services[service] = state;
            }

            return state;
        }
    }
}
