using Slipway.Control.Events;
using Slipway.Control.Runtime;
using Slipway.Core.Manifest.Binding;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Manifest.Snapshot;
using Slipway.Core.Primitives;

namespace Slipway.Control.Rollouts;

/// <summary>Rollback, warm sets, and settling what a previous daemon left in the store.</summary>
internal sealed partial class RolloutController
{
    /// <summary>
    /// Back to <paramref name="to"/> (default: the revision before the current one). A running rollout is ended
    /// with traffic on its stable revision; a warm revision takes traffic back in one swap; any other is started
    /// afresh as a new revision with its version and switched to once ready.
    /// </summary>
    public async Task<RolloutStatus> RollbackAsync(string service, string? to, string by)
    {
        var spec = RunSpec(service);
        await _commands.WaitAsync().ConfigureAwait(false);
        try
        {
            Rollout? running;
            lock (_lock)
            {
                running = _active.GetValueOrDefault(service);
            }

            if (running is not null && !running.Finished)
            {
                if (to is not null && to != running.StableRevision)
                {
                    throw new RolloutRefusedException(RefusalKind.Conflict,
                        $"a rollout of {service} is running; rollback now returns to its stable revision {running.StableRevision} (abort it first to go elsewhere)");
                }

                running.End(RolloutEnd.RolledBack($"rolled back by {by}"));
                return await running.Completion.ConfigureAwait(false);
            }

            var current = _context.Traffic.Current(service);
            var target = to ?? Previous(service, current.Revision)
                ?? throw new RolloutRefusedException(RefusalKind.Conflict, $"{service} has no earlier revision than {current.Revision} to roll back to");
            var record = _context.Store.Revision(service, target)
                ?? throw new RolloutRefusedException(RefusalKind.NotFound, $"{service} has no revision {target}; `slipway history {service}` lists them");
            if (target == current.Revision)
            {
                throw new RolloutRefusedException(RefusalKind.Conflict, $"revision {target} of {service} is already current");
            }

            if (_context.Host.Revisions(service).FirstOrDefault(r => r.Revision == target) is { Ready: > 0 } warm)
            {
                return await SwitchToWarmAsync(service, current, (warm.Revision, warm.Version), by).ConfigureAwait(false);
            }

            await RetireWarmAsync(service).ConfigureAwait(false);
            // The new revision runs what the target ran, so a rollback undoes a changed spec as well as a version.
            var targetSpec = SpecSnapshot.TryRead(record.Spec, out var ran) ? spec.WithRevisionFieldsOf(ran) : spec;
            return Begin(service, targetSpec, record.Version, RolloutStrategy.Rollback, by, $"rollback to revision {target} (version {record.Version})");
        }
        finally
        {
            _commands.Release();
        }
    }

    /// <summary>The newest revision older than <paramref name="current"/> that once ran as current.</summary>
    private string? Previous(string service, string current) =>
        _context.Store.Revisions(service)
            .Where(r => r.Revision != current && r.Outcome is null or RevisionOutcome.Promoted or RevisionOutcome.Started)
            .Where(r => !int.TryParse(current, out var c) || !int.TryParse(r.Revision, out var n) || n < c)
            .Select(r => r.Revision)
            .FirstOrDefault();

    /// <summary>The instant rollback: the warm revision current again with all traffic in one swap; the other one drains.</summary>
    private async Task<RolloutStatus> SwitchToWarmAsync(string service, (string Revision, string Version) from, (string Revision, string Version) to, string by)
    {
        var now = _context.Time.GetUtcNow();
        _context.Traffic.SetTraffic(service, to.Revision, to.Version, null);
        WarmSet? warm;
        lock (_lock)
        {
            _warm.Remove(service, out warm);
        }

        warm?.Cancel.Cancel();
        _context.Store.SetRevisionOutcome(service, from.Revision, RevisionOutcome.RolledBack, now);
        _context.Store.DeleteRollout(service);
        _context.Journal.Record(service, null, EventKinds.RolloutRolledBack,
            $"rolled back by {by}: warm revision {to.Revision} (version {to.Version}) takes all traffic again in one switch; revision {from.Revision} draining");
        var status = new RolloutStatus(service, from.Revision, from.Version, to.Revision, RolloutStrategy.Rollback, RolloutPhase.RolledBack, 0, 0, false,
            new Dictionary<string, int>(StringComparer.Ordinal) { [to.Revision] = 100 }, now, null, 0, RevisionOutcome.RolledBack, $"instant rollback to warm revision {to.Revision}", now);
        lock (_lock)
        {
            _last[service] = status;
        }

        var live = _manifest.Services.GetValueOrDefault(service);
        var undone = live is not null && SpecSnapshot.TryRead(_context.Store.Revision(service, from.Revision)?.Spec, out var ran) ? live.WithRevisionFieldsOf(ran) : live;
        if (undone is not null && await RollbackHook.RunAsync(_context, service, undone, from, to).ConfigureAwait(false) is { } failure)
        {
            status = status with { Message = $"{status.Message}; rollback hook failed: {failure}" };
            lock (_lock)
            {
                _last[service] = status;
            }
        }

        await _context.Host.StopRevisionAsync(service, from.Revision).ConfigureAwait(false);
        return status;
    }

    /// <summary>
    /// Keeps a blue-green old set until <paramref name="delay"/> has passed, then drains and stops it; meanwhile the
    /// promoted revision is analysed, and failing that sends traffic back to the old set at once. Called under <see cref="_lock"/>.
    /// </summary>
    private void KeepWarm(string service, string revision, string version, string promoted, TimeSpan delay, AnalysisSpec analysis)
    {
        var cancel = new CancellationTokenSource();
        _warm[service] = new WarmSet(service, revision, version, promoted, cancel);
        _tasks.Add(Task.Run(async () =>
        {
            try
            {
                if (await WatchWarmAsync(service, promoted, analysis, delay, cancel.Token).ConfigureAwait(false) is { } failure)
                {
                    await RollBackToWarmAsync(service, revision, version, cancel, failure).ConfigureAwait(false);
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            lock (_lock)
            {
                if (_warm.GetValueOrDefault(service)?.Cancel != cancel)
                {
                    return;
                }

                _warm.Remove(service);

                // The rollout is over only now: `deploy --wait` follows the warm period until this phase.
                if (_last.GetValueOrDefault(service) is { Phase: RolloutPhase.Warm } last && last.Revision == promoted)
                {
                    _last[service] = last with { Phase = RolloutPhase.Promoted };
                }
            }

            _context.Journal.Record(service, null, EventKinds.RolloutStep, $"revision {revision} scaled down after its warm period ({DurationText.Format(delay)})");
            await _context.Host.StopRevisionAsync(service, revision).ConfigureAwait(false);
            _context.Store.DeleteRollout(service);
        }));
    }

    /// <summary>A new deploy retires the previous deploy's warm old set now rather than keeping three revisions.</summary>
    private async Task RetireWarmAsync(string service)
    {
        WarmSet? warm;
        lock (_lock)
        {
            _warm.Remove(service, out warm);
        }

        if (warm is null)
        {
            return;
        }

        await warm.Cancel.CancelAsync().ConfigureAwait(false);
        await _context.Host.StopRevisionAsync(service, warm.Revision).ConfigureAwait(false);
        _context.Store.DeleteRollout(service);
    }

    /// <summary>
    /// Settles what the previous daemon left: a warm set gets its remaining time; a rollout whose promotion swap had
    /// happened is completed; any other is aborted to its stable revision. Revisions nobody wants any more are stopped.
    /// </summary>
    public async Task StartAsync()
    {
        var now = _context.Time.GetUtcNow();
        var keep = new HashSet<(string, string)>();
        foreach (var row in _context.Store.Rollouts())
        {
            if (!_manifest.Services.TryGetValue(row.Service, out var spec) || spec.Run is null)
            {
                _context.Store.DeleteRollout(row.Service);
                continue;
            }

            var current = _context.Traffic.Current(row.Service);
            if (row.Phase == RolloutPhase.Warm && current.Revision == row.Revision)
            {
                var left = row.Updated + spec.Deploy.ScaleDownDelay - now;
                lock (_lock)
                {
                    KeepWarm(row.Service, row.StableRevision, _context.Store.Revision(row.Service, row.StableRevision)?.Version ?? row.StableRevision, row.Revision,
                        left > TimeSpan.Zero ? left : TimeSpan.Zero, spec.Deploy.Analysis);
                }

                keep.Add((row.Service, row.StableRevision));
                continue;
            }

            if (current.Revision == row.Revision)
            {
                _context.Journal.Record(row.Service, null, EventKinds.RolloutPromoted,
                    $"revision {row.Revision} (version {row.Version}) had taken all traffic before the daemon restarted; revision {row.StableRevision} drained now");
                _context.Store.SetRevisionOutcome(row.Service, row.Revision, RevisionOutcome.Promoted, now);
            }
            else
            {
                _context.Traffic.SetTraffic(row.Service, current.Revision, current.Version, null);
                _context.Journal.Record(row.Service, null, EventKinds.RolloutAborted,
                    $"the daemon restarted during the {ScalarParsers.EnumName(row.Strategy)} rollout of revision {row.Revision} (version {row.Version}, {ScalarParsers.EnumName(row.Phase)}, step {row.Step}); "
                    + $"aborted to stable revision {current.Revision}: all traffic there, revision {row.Revision} draining; deploy again to retry");
                _context.Store.SetRevisionOutcome(row.Service, row.Revision, RevisionOutcome.Aborted, now);
            }

            _context.Store.DeleteRollout(row.Service);
        }

        foreach (var (name, spec) in _manifest.Services.Where(s => s.Value.Run is not null))
        {
            var current = _context.Traffic.Current(name).Revision;
            foreach (var other in _context.Host.Revisions(name).Where(r => r.Revision != current && !keep.Contains((name, r.Revision))))
            {
                await _context.Host.StopRevisionAsync(name, other.Revision).ConfigureAwait(false);
            }
        }
    }
}
