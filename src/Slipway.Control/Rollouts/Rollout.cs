using Slipway.Control.Analysis;
using Slipway.Control.Events;
using Slipway.Control.Runtime;
using Slipway.Control.State;
using Slipway.Core.Manifest.Binding;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Primitives;

namespace Slipway.Control.Rollouts;

/// <summary>
/// One rollout of one service: a new revision brought in beside the stable one by its strategy, judged, then
/// promoted or sent back. One loop per rollout, driven by the injected clock; commands (promote, pause, abort,
/// rollback) set a flag and wake the loop. State is written by the loop and read through <see cref="Status"/>.
/// </summary>
internal sealed partial class Rollout
{
    private readonly RolloutContext _context;
    private readonly CancellationTokenSource _cancel = new();
    private readonly TaskCompletionSource<RolloutStatus> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private TaskCompletionSource _nudge = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RolloutPhase _phase = RolloutPhase.Starting;
    private int _step;
    private bool _paused;
    private bool _promote;
    private bool _smoked;
    private RolloutEnd? _requestedEnd;
    private IReadOnlyDictionary<string, int> _weights;
    private AnalysisResult? _lastAnalysis;
    private int _consecutiveFailures;
    private RolloutEnd? _end;
    private DateTimeOffset? _finished;

    public Rollout(RolloutContext context, string service, ServiceSpec spec, RevisionRecord revision, RolloutStrategy strategy,
        (string Revision, string Version) stable, int replicas, DateTimeOffset started)
    {
        _context = context;
        Service = service;
        Spec = spec;
        Revision = revision.Revision;
        Version = revision.Version;
        StableRevision = stable.Revision;
        StableVersion = stable.Version;
        Strategy = strategy;
        Replicas = Math.Max(1, replicas);
        Started = started;
        _weights = new Dictionary<string, int>(StringComparer.Ordinal) { [StableRevision] = 100 };
    }

    public string Service { get; }

    public ServiceSpec Spec { get; }

    public string Revision { get; }

    public string Version { get; }

    public string StableRevision { get; }

    public string StableVersion { get; }

    public RolloutStrategy Strategy { get; }

    /// <summary>Instances of the stable revision when the rollout began: how many the new one ends with.</summary>
    public int Replicas { get; }

    public DateTimeOffset Started { get; }

    private DeploySpec Deploy => Spec.Deploy;

    private IRevisionHost Host => _context.Host;

    private ITrafficControl Traffic => _context.Traffic;

    /// <summary>Completes with the final status when the rollout has ended, however it ended.</summary>
    public Task<RolloutStatus> Completion => _done.Task;

    public bool Finished => _done.Task.IsCompleted;

    public RolloutStatus Status()
    {
        lock (_lock)
        {
            return new RolloutStatus(Service, Revision, Version, StableRevision, Strategy, _phase, _step,
                Strategy == RolloutStrategy.Canary ? Deploy.Steps.Count : 0, _paused, _weights, Started, _lastAnalysis, _consecutiveFailures,
                _end?.Outcome, _end?.Message, _finished);
        }
    }

    /// <summary>Skip the remaining steps (or the wait for a manual promotion) and promote.</summary>
    public void Promote() => Signal(() => _promote = true);

    public void Pause() => Signal(() => _paused = true);

    public void Resume() => Signal(() => _paused = false);

    /// <summary>Ends the rollout with traffic back on the stable revision; <paramref name="end"/> says how it is recorded.</summary>
    public void End(RolloutEnd end) => Signal(() => _requestedEnd ??= end);

    /// <summary>Stops the loop without ending the rollout (the daemon is stopping; the next start finds it in the store).</summary>
    public void Detach() => _cancel.Cancel();

    public async Task RunAsync()
    {
        try
        {
            Record(EventKinds.RolloutStarted, $"revision {Revision} (version {Version}) replacing revision {StableRevision} (version {StableVersion}), {ScalarParsers.EnumName(Strategy)}, {Replicas} replicas");
            await RunHooksBeforeAsync().ConfigureAwait(false);
            if (Deploy.PreviewHost is not null)
            {
                // Reachable there as soon as an instance is ready; the pin header works with or without it.
                Traffic.SetPreview(Service, Revision);
            }

            switch (Strategy)
            {
                case RolloutStrategy.Canary:
                    await RunCanaryAsync().ConfigureAwait(false);
                    break;
                case RolloutStrategy.BlueGreen:
                case RolloutStrategy.Rollback:
                    await RunBlueGreenAsync().ConfigureAwait(false);
                    break;
                default:
                    await RunRollingAsync().ConfigureAwait(false);
                    break;
            }
        }
        catch (RolloutEndedException e)
        {
            await BackToStableAsync(e.End).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug or a store failure must not leave traffic split with nobody watching: back to stable.
            await BackToStableAsync(RolloutEnd.Failed($"the rollout failed unexpectedly ({e.GetType().Name}: {e.Message})")).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
        {
            // Detached: the daemon stops; the store keeps the rollout for the next start.
            lock (_lock)
            {
                _phase = RolloutPhase.Detached;
            }
        }

        _done.TrySetResult(Status());
    }

    /// <summary>Throws when a command asked the rollout to end, or the daemon stops.</summary>
    private void CheckCommands()
    {
        _cancel.Token.ThrowIfCancellationRequested();
        RolloutEnd? end;
        lock (_lock)
        {
            end = _requestedEnd;
        }

        if (end is not null)
        {
            throw new RolloutEndedException(end);
        }
    }

    private bool PromoteRequested()
    {
        lock (_lock)
        {
            return _promote;
        }
    }

    private bool Paused()
    {
        lock (_lock)
        {
            return _paused;
        }
    }

    /// <summary>Waits <paramref name="duration"/>, or less when a command arrives; then applies it.</summary>
    private async Task WaitAsync(TimeSpan duration)
    {
        Task nudge;
        lock (_lock)
        {
            nudge = _nudge.Task;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(_cancel.Token);
        var delay = Task.Delay(duration, _context.Time, wait.Token);
        await Task.WhenAny(delay, nudge).ConfigureAwait(false);
        await wait.CancelAsync().ConfigureAwait(false);
        CheckCommands();
    }

    /// <summary>Holds while paused by <c>slipway pause</c>.</summary>
    private async Task WhilePausedAsync()
    {
        CheckCommands();
        if (!Paused())
        {
            return;
        }

        SetPhase(RolloutPhase.Paused);
        while (Paused())
        {
            await WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
    }

    private void Signal(Action change)
    {
        TaskCompletionSource woken;
        lock (_lock)
        {
            change();
            woken = _nudge;
            _nudge = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        woken.TrySetResult();
    }

    private void SetPhase(RolloutPhase phase, int? step = null)
    {
        lock (_lock)
        {
            _phase = phase;
            _step = step ?? _step;
        }

        Save();
    }

    /// <summary>Sets the split and publishes it; the current revision stays the stable one until promotion.</summary>
    private void SetWeights(int stable, int canary)
    {
        var weights = new Dictionary<string, int>(StringComparer.Ordinal) { [StableRevision] = stable, [Revision] = canary };
        lock (_lock)
        {
            _weights = weights;
        }

        Traffic.SetTraffic(Service, StableRevision, StableVersion, weights);
    }

    private void Save()
    {
        RolloutRecord record;
        lock (_lock)
        {
            record = new RolloutRecord(Service, Revision, Version, StableRevision, Strategy, _phase, _step, _paused, Started, _context.Time.GetUtcNow());
        }

        _context.Store.SaveRollout(record);
    }

    private void Record(string kind, string message) => _context.Journal.Record(Service, null, kind, message);

    private async Task RunHooksBeforeAsync()
    {
        // A rollback returns to a version that ran before: its migration already ran, and it must not wait on a hook.
        if (Deploy.Hooks.BackupFirst is { } backup && Strategy != RolloutStrategy.Rollback)
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

        if (Deploy.Hooks.Before is { } before && Strategy != RolloutStrategy.Rollback)
        {
            SetPhase(RolloutPhase.BeforeHook);
            var failure = await HookRunner.RunAsync(_context, before, Service, Revision, Version, _cancel.Token).ConfigureAwait(false);
            if (failure is not null)
            {
                throw new RolloutEndedException(RolloutEnd.Failed($"before hook failed, nothing was switched: {failure}"));
            }

            Record(EventKinds.RolloutStep, $"before hook passed: {before.Command}");
        }
    }

    /// <summary>
    /// Waits until <paramref name="count"/> instances of the new revision are ready (and stay ready <c>minReady</c>),
    /// bounded by the progress deadline; crash-looping new instances end the rollout at once.
    /// </summary>
    private async Task WaitReadyAsync(int count)
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
    /// Waits; a rolling rollout, whose old and new instances serve side by side, is analysed meanwhile every
    /// <c>analysis.interval</c> as a canary would be (the other strategies analyse in their own pauses).
    /// </summary>
    private async Task WaitAnalysingAsync(TimeSpan duration)
    {
        var remaining = duration;
        while (remaining > TimeSpan.Zero)
        {
            var slice = Strategy == RolloutStrategy.Rolling && Deploy.Analysis.Interval < remaining ? Deploy.Analysis.Interval : remaining;
            await WaitAsync(slice).ConfigureAwait(false);
            remaining -= slice;
            if (Strategy == RolloutStrategy.Rolling && _context.Time.GetElapsedTime(_lastAnalysisAt) >= Deploy.Analysis.Interval)
            {
                Analyze();
            }
        }
    }

    private async Task SmokeAsync()
    {
        if (Deploy.Hooks.Smoke.Count == 0 || Strategy == RolloutStrategy.Rollback || _smoked)
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
