using System.Globalization;
using Slipway.Control.Runtime;
using Slipway.Core.Manifest.Snapshot;
using Slipway.Core.Primitives;

namespace Slipway.Control.Rollouts;

/// <summary>Promotion, and the way back to stable.</summary>
internal sealed partial class Rollout
{
    /// <summary>All instances of the new revision ready, then ONE swap makes it current with all traffic; the old set drains (or stays warm).</summary>
    /// <param name="beforeSwitch">What the strategy still does once promotion is decided (a canary scales up to the full count).</param>
    public async Task PromoteNowAsync(Func<Task>? beforeSwitch = null)
    {
        CheckCommands();
        SetPhase(RolloutPhase.Promoting);
        if (beforeSwitch is not null)
        {
            await beforeSwitch().ConfigureAwait(false);
        }

        Traffic.SetTraffic(Service, Revision, Version, null);
        ClearPreview();
        lock (_lock)
        {
            _weights = new Dictionary<string, int>(StringComparer.Ordinal) { [Revision] = 100 };
        }

        var now = _context.Time.GetUtcNow();
        _context.Store.SetRevisionOutcome(Service, Revision, RevisionOutcome.Promoted, now);
        string? afterFailure = null;
        if (Deploy.Hooks.After is { } after && _strategy.Traits.RunsHooks)
        {
            afterFailure = await HookRunner.RunAsync(_context, after, Service, Spec, Revision, Version, CancellationToken.None).ConfigureAwait(false);
        }

        if (_strategy.Name == RolloutStrategy.Rollback)
        {
            // `slipway rollback` to a revision started afresh: the stable revision it replaced is the one undone.
            var undone = SpecSnapshot.TryRead(_context.Store.Revision(Service, StableRevision)?.Spec, out var ran) ? Spec.WithRevisionFieldsOf(ran) : Spec;
            if (await RollbackHook.RunAsync(_context, Service, undone, (StableRevision, StableVersion), (Revision, Version)).ConfigureAwait(false) is { } rollbackFailure)
            {
                afterFailure = $"rollback hook failed: {rollbackFailure}";
            }
        }
        else if (afterFailure is not null)
        {
            afterFailure = $"after hook failed: {afterFailure}";
        }

        var warm = _strategy.Traits.KeepsOldSetWarm && Deploy.ScaleDownDelay > TimeSpan.Zero;
        var message = $"revision {Revision} (version {Version}) takes all traffic after {(_context.Time.GetUtcNow() - Started).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s"
            + (warm ? $"; revision {StableRevision} stays warm for {DurationText.Format(Deploy.ScaleDownDelay)} for an instant rollback" : "")
            + (afterFailure is null ? "" : $"; {afterFailure}");
        if (warm)
        {
            // The row stays (phase warm) so a daemon restart keeps the old set and its scale-down time.
            SetPhase(RolloutPhase.Warm);
        }
        else
        {
            SetPhase(RolloutPhase.DrainingOld);
            await Host.StopRevisionAsync(Service, StableRevision).ConfigureAwait(false);
            _context.Store.DeleteRollout(Service);
        }

        Finish(RolloutEnd.Promoted(message));
    }

    /// <summary>
    /// Traffic back on the stable revision in ONE table swap (after restoring its capacity if a rolling update had
    /// drained some of it), then the new instances drained and stopped.
    /// </summary>
    private async Task BackToStableAsync(RolloutEnd end)
    {
        lock (_lock)
        {
            _phase = RolloutPhase.RollingBack;
        }

        if (Spec.Stateful)
        {
            // One instance owns the data: the new one stops before the stable one starts again.
            await Host.StopRevisionAsync(Service, Revision).ConfigureAwait(false);
        }

        var stable = Host.Revisions(Service).FirstOrDefault(r => r.Revision == StableRevision);
        if (stable is null || stable.Desired < Replicas)
        {
            await Host.StartRevisionAsync(Service, StableRevision, StableVersion, Replicas - (stable?.Desired ?? 0)).ConfigureAwait(false);
            var started = _context.Time.GetTimestamp();
            while (Ready(StableRevision) < Replicas && _context.Time.GetElapsedTime(started) < Deploy.ProgressDeadline && !_cancel.IsCancellationRequested)
            {
                await Task.Delay(_context.PollInterval, _context.Time, CancellationToken.None).ConfigureAwait(false);
            }
        }

        Traffic.SetTraffic(Service, StableRevision, StableVersion, null);
        ClearPreview();
        lock (_lock)
        {
            _weights = new Dictionary<string, int>(StringComparer.Ordinal) { [StableRevision] = 100 };
        }

        Record(end.EventKind, $"{end.Message}; traffic back on revision {StableRevision} (version {StableVersion}), revision {Revision} draining");
        await Host.StopRevisionAsync(Service, Revision).ConfigureAwait(false);
        if (_undoable && _strategy.Traits.RunsHooks
            && await RollbackHook.RunAsync(_context, Service, Spec, (Revision, Version), (StableRevision, StableVersion)).ConfigureAwait(false) is { } hookFailure)
        {
            end = end with { Message = $"{end.Message}; rollback hook failed: {hookFailure}" };
        }

        _context.Store.SetRevisionOutcome(Service, Revision, end.Outcome, _context.Time.GetUtcNow());
        _context.Store.DeleteRollout(Service);
        lock (_lock)
        {
            _end = end;
            _finished = _context.Time.GetUtcNow();
            _phase = end.Phase;
        }
    }

    /// <summary>Once the rollout is decided there is nothing left to preview: the preview host answers 404 again.</summary>
    private void ClearPreview()
    {
        if (Deploy.PreviewHost is not null)
        {
            Traffic.SetPreview(Service, null);
        }
    }

    private void Finish(RolloutEnd end)
    {
        Record(end.EventKind, end.Message);
        lock (_lock)
        {
            _end = end;
            _finished = _context.Time.GetUtcNow();
            if (_phase != RolloutPhase.Warm)
            {
                _phase = end.Phase;
            }
        }
    }
}
