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

    /// <summary>Sets the number of instances of a <c>run:</c> service. Not persisted: a daemon restart goes back to the manifest.</summary>
    /// <returns>The number of replicas before the change.</returns>
    public async Task<int> ScaleAsync(string service, int replicas)
    {
        var spec = _manifest.Services[service];
        await _changes.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            List<InstanceController> removed;
            int before;
            lock (_publishLock)
            {
                var current = _controllers.Where(c => c.Service == service).OrderBy(c => c.Slot).ToList();
                before = current.Count;
                var (revision, version) = _revisions[service];
                for (var slot = current.Count; slot < replicas; slot++)
                {
                    var controller = new InstanceController(_context, service, spec, revision, version, slot, _shared, _ => Publish());
                    _controllers.Add(controller);
                    StartRun(controller, null);
                }

                removed = [.. current.Where(c => c.Slot >= replicas)];
            }

            Journal.Record(service, null, "scaled", $"replicas {before} → {replicas}");
            foreach (var controller in removed)
            {
                await StopRunAsync(controller).ConfigureAwait(false);
                lock (_publishLock)
                {
                    _controllers.Remove(controller);
                }
            }

            Publish();
            return before;
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>
    /// Replaces a service's instances one at a time: drain and stop one, start its replacement (which reads
    /// secrets and environment afresh), wait until it is ready (bounded by <see cref="RestartReadyTimeout"/>), then the next.
    /// </summary>
    /// <returns>The ids that did not become ready in time.</returns>
    public async Task<IReadOnlyList<string>> RestartAsync(string service)
    {
        var spec = _manifest.Services[service];
        await _changes.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            List<InstanceController> current;
            lock (_publishLock)
            {
                current = [.. _controllers.Where(c => c.Service == service).OrderBy(c => c.Slot)];
            }

            Journal.Record(service, null, "restarting", $"rolling restart of {current.Count} instances, one at a time");
            var notReady = new List<string>();
            foreach (var old in current)
            {
                await StopRunAsync(old).ConfigureAwait(false);
                var replacement = new InstanceController(_context, service, spec, old.Revision, old.Version, old.Slot, _shared, _ => Publish());
                lock (_publishLock)
                {
                    _controllers[_controllers.IndexOf(old)] = replacement;
                    StartRun(replacement, null);
                }

                Publish();
                if (!await WaitReadyAsync(replacement).ConfigureAwait(false))
                {
                    notReady.Add(replacement.Id);
                }
            }

            Journal.Record(service, null, "restarted", notReady.Count == 0
                ? $"all {current.Count} instances replaced and ready"
                : $"replaced {current.Count} instances; not ready in time: {string.Join(", ", notReady)}");
            return notReady;
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>Called under <see cref="_publishLock"/>.</summary>
    private void StartRun(InstanceController controller, InstanceRecord? adopt)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        _runs[controller] = new ControllerRun(stop, RunControllerAsync(controller, adopt, stop.Token));
    }

    private async Task StopRunAsync(InstanceController controller)
    {
        ControllerRun? run;
        lock (_publishLock)
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
