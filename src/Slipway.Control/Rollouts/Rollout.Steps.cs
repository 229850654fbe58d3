using Slipway.Control.Events;
using Slipway.Control.Runtime;
using Slipway.Core.Primitives;

namespace Slipway.Control.Rollouts;

/// <summary>What strategies build on: phase and split, readiness, hooks and smoke checks, the journal.</summary>
internal sealed partial class Rollout
{
    /// <summary>Crash-looping new instances end the rollout at any point.</summary>
    public void WatchNew()
    {
        if (Host.Revisions(Service).FirstOrDefault(r => r.Revision == Revision) is { CrashLooping: > 0 } state)
        {
            throw new RolloutEndedException(RolloutEnd.RolledBack($"revision {Revision} is crash-looping ({state.CrashLooping} of {state.Desired} instances)"));
        }
    }

    /// <summary>Ready instances of <paramref name="revision"/> now.</summary>
    public int Ready(string revision) => Host.Revisions(Service).FirstOrDefault(r => r.Revision == revision)?.Ready ?? 0;

    public void SetPhase(RolloutPhase phase, int? step = null)
    {
        lock (_lock)
        {
            _phase = phase;
            _step = step ?? _step;
        }

        Save();
    }

    /// <summary>Sets the split and publishes it; the current revision stays the stable one until promotion.</summary>
    public void SetWeights(int stable, int canary)
    {
        var weights = new Dictionary<string, int>(StringComparer.Ordinal) { [StableRevision] = stable, [Revision] = canary };
        lock (_lock)
        {
            _weights = weights;
        }

        Traffic.SetTraffic(Service, StableRevision, StableVersion, weights);
    }

    public void Record(string kind, string message) => _context.Journal.Record(Service, null, kind, message);

    private async Task RunHooksBeforeAsync()
    {
        // A rollback returns to a version that ran before: its migration already ran, and it must not wait on a hook.
        if (Deploy.Hooks.BackupFirst is { } backup && _strategy.Traits.RunsHooks)
        {
            SetPhase(RolloutPhase.Backup);
            var (taken, message) = _context.Backups is { } backups
                ? await backups.RunAsync(backup, _cancel.Token).ConfigureAwait(false)
                : (false, "this daemon takes no backups");
            _context.Journal.Record(backup, null, taken ? EventKinds.BackupSucceeded : EventKinds.BackupFailed, message);
            if (!taken)
            {
                throw new RolloutEndedException(RolloutEnd.Failed($"backupFirst {backup} failed, nothing was switched: {message}"));
            }

            Record(EventKinds.RolloutStep, $"backupFirst {backup}: {message}");
        }

        if (Deploy.Hooks.Before is { } before && _strategy.Traits.RunsHooks)
        {
            SetPhase(RolloutPhase.BeforeHook);
            var failure = await HookRunner.RunAsync(_context, before, Service, Spec, Revision, Version, _cancel.Token).ConfigureAwait(false);
            if (failure is not null)
            {
                throw new RolloutEndedException(RolloutEnd.Failed($"before hook failed, nothing was switched: {failure}"));
            }

            Record(EventKinds.RolloutStep, $"before hook passed: {before.Command}");
        }

        // From here a way back undoes something: the rollback hook runs then.
        _undoable = true;
    }

    /// <summary>
    /// Waits until <paramref name="count"/> instances of the new revision are ready (and stay ready <c>minReady</c>),
    /// bounded by the progress deadline; crash-looping new instances end the rollout at once.
    /// </summary>
    public async Task WaitReadyAsync(int count)
    {
        var started = _context.Time.GetTimestamp();
        while (true)
        {
            CheckCommands();
            var state = Host.Revisions(Service).FirstOrDefault(r => r.Revision == Revision);
            if (state is { CrashLooping: > 0 })
            {
                throw new RolloutEndedException(RolloutEnd.RolledBack($"revision {Revision} is crash-looping ({state.CrashLooping} of {state.Desired} instances)"));
            }

            if (state is not null && state.Ready >= count)
            {
                if (Deploy.MinReady <= TimeSpan.Zero)
                {
                    return;
                }

                await WaitAnalysingAsync(Deploy.MinReady).ConfigureAwait(false);
                if (Host.Revisions(Service).FirstOrDefault(r => r.Revision == Revision) is { } again && again.Ready >= count)
                {
                    return;
                }
            }

            if (_context.Time.GetElapsedTime(started) >= Deploy.ProgressDeadline)
            {
                throw new RolloutEndedException(RolloutEnd.Failed(
                    $"revision {Revision} was not ready within the progress deadline ({DurationText.Format(Deploy.ProgressDeadline)}): {state?.Ready ?? 0} of {count} ready"));
            }

            await WaitAnalysingAsync(_context.PollInterval).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits; a strategy whose old and new instances serve side by side (rolling) is analysed meanwhile every
    /// <c>analysis.interval</c> as a canary would be (the others analyse in their own pauses).
    /// </summary>
    private async Task WaitAnalysingAsync(TimeSpan duration)
    {
        var remaining = duration;
        while (remaining > TimeSpan.Zero)
        {
            var slice = _strategy.Traits.AnalysesWhileWaiting && Deploy.Analysis.Interval < remaining ? Deploy.Analysis.Interval : remaining;
            await WaitAsync(slice).ConfigureAwait(false);
            remaining -= slice;
            if (_strategy.Traits.AnalysesWhileWaiting && _context.Time.GetElapsedTime(_lastAnalysisAt) >= Deploy.Analysis.Interval)
            {
                Analyze();
            }
        }
    }

    public async Task SmokeAsync()
    {
        if (Deploy.Hooks.Smoke.Count == 0 || !_strategy.Traits.RunsHooks || _smoked)
        {
            return;
        }

        _smoked = true;

        SetPhase(RolloutPhase.Smoke);
        var failure = await _context.Smoke.RunAsync(Spec, Revision, Host.ReadyPorts(Service, Revision), _cancel.Token).ConfigureAwait(false);
        if (failure is not null)
        {
            throw new RolloutEndedException(RolloutEnd.Failed($"smoke check failed before any user traffic: {failure}"));
        }

        Record(EventKinds.RolloutStep, $"smoke checks passed ({Deploy.Hooks.Smoke.Count}) on revision {Revision}");
    }
}
