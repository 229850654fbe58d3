using Slipway.Control.Events;
using Slipway.Control.State;

namespace Slipway.Control.Supervision;

/// <summary>Changes asked for at run time (the control API): scale a service, restart its instances one by one.</summary>
internal sealed partial class Supervisor
{
    private readonly SemaphoreSlim _changes = new(1, 1);

    /// <summary>How long a rolling restart waits for a replacement to become ready before it moves on.</summary>
    public TimeSpan RestartReadyTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>True when <paramref name="service"/> is one Slipway runs (scale and restart apply).</summary>
    public bool Runs(string service) => _manifest.Services.GetValueOrDefault(service)?.Run is not null;

    /// <summary>
    /// Sets the number of instances of a <c>run:</c> service's current revision. Kept in the state store, so a
    /// daemon restart keeps it (the manifest's <c>replicas</c> counts only until a scale).
    /// </summary>
    /// <returns>The number of replicas before the change.</returns>
    /// <exception cref="DiskFullException">The count could not be saved; nothing was started or stopped.</exception>
    public Task<int> ScaleAsync(string service, int replicas) =>
        ResizeAsync(service, replicas, before => Journal.Record(service, null, EventKinds.Scaled, $"replicas {before} → {replicas}"));

    /// <summary>
    /// Sets the number of instances of the current revision, one change at a time with commands and restarts; the
    /// autoscaler's way in (it records its own event). Kept in the state store like a scale.
    /// </summary>
    /// <param name="applied">Told the count before the change, once the new count is saved and applied.</param>
    /// <returns>The number of replicas before the change.</returns>
    /// <exception cref="DiskFullException">The count could not be saved; nothing was started or stopped.</exception>
    public async Task<int> ResizeAsync(string service, int replicas, Action<int>? applied = null)
    {
        await _changes.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            var revision = _traffic.Current(service).Revision;
            int count;
            lock (_lock)
            {
                count = _controllers.Count(c => c.Service == service && c.Revision == revision);
            }

            await ScaleRevisionAsync(service, revision, replicas).ConfigureAwait(false);
            applied?.Invoke(count);
            return count;
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>
    /// Replaces a service's instances one at a time, surge first: start the replacement (which reads secrets and
    /// environment afresh), wait until it is ready (bounded by <see cref="RestartReadyTimeout"/>), then drain and
    /// stop the old one, so capacity never dips. A replacement not ready in time is stopped and the old one kept.
    /// A stateful service's instance stops first and its replacement then starts (it is kept, ready or not).
    /// </summary>
    /// <returns>The ids that did not become ready in time.</returns>
    public async Task<IReadOnlyList<string>> RestartAsync(string service)
    {
        await _changes.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            List<InstanceController> current;
            lock (_lock)
            {
                current = [.. _controllers.Where(c => c.Service == service).OrderBy(c => c.Revision, StringComparer.Ordinal).ThenBy(c => c.Slot)];
            }

            Journal.Record(service, null, EventKinds.Restarting, current.Any(c => c.Spec.Stateful)
                ? $"restart of {current.Count} stateful instance, stopped before its replacement starts"
                : $"rolling restart of {current.Count} instances, one at a time, each replacement ready before the old one drains");
            var notReady = new List<string>();
            foreach (var old in current)
            {
                int slot;
                lock (_lock)
                {
                    // Chosen while the old one still holds its slot, so the replacement has an id of its own.
                    slot = FreeSlot(_controllers.Where(c => c.Service == service && c.Revision == old.Revision).Select(c => c.Slot).ToHashSet());
                }

                if (old.Spec.Stateful)
                {
                    // One instance owns the data: it stops first, then its replacement starts (and may wait for it).
                    await StopAndForgetAsync(old).ConfigureAwait(false);
                }

                InstanceController replacement;
                lock (_lock)
                {
                    replacement = new InstanceController(_context, service, old.Spec, old.Revision, old.Version, slot, Setup(service), OnReadinessChanged);
                    _controllers.Add(replacement);
                    StartRun(replacement, null);
                }

                var ready = await WaitReadyAsync(replacement).ConfigureAwait(false);
                if (!ready)
                {
                    notReady.Add(replacement.Id);
                }

                if (!old.Spec.Stateful)
                {
                    await StopAndForgetAsync(ready ? old : replacement).ConfigureAwait(false);
                }

                Publish();
            }

            Journal.Record(service, null, EventKinds.Restarted, notReady.Count == 0
                ? $"all {current.Count} instances replaced and ready"
                : $"replaced {current.Count - notReady.Count} of {current.Count} instances; not ready in time (old instance kept): {string.Join(", ", notReady)}");
            return notReady;
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>Called under <see cref="_lock"/>.</summary>
    private void StartRun(InstanceController controller, InstanceRecord? adopt)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        _runs[controller] = new ControllerRun(stop, RunControllerAsync(controller, adopt, stop.Token));
    }

    private async Task StopRunAsync(InstanceController controller)
    {
        ControllerRun? run;
        lock (_lock)
        {
            _runs.Remove(controller, out run);
        }

        if (run is null)
        {
            return;
        }

        await run.Stop.CancelAsync().ConfigureAwait(false);
        await run.Task.ConfigureAwait(false);
        run.Stop.Dispose();
    }

    private async Task<bool> WaitReadyAsync(InstanceController controller)
    {
        var started = _context.Time.GetTimestamp();
        while (!controller.Snapshot().Ready)
        {
            if (_context.Time.GetElapsedTime(started) >= RestartReadyTimeout || _stop.IsCancellationRequested)
            {
                return false;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), _context.Time, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        return true;
    }
}
